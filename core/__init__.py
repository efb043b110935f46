"""The order core: plain domain classes, an inventory ledger, sourcing rules as data.

Layout (one concept per module):
- core/domain/      commands, errors, buckets and derived status (quantities), transitions and
                    holds tables, the order aggregate (model), fulfilment moves, 855 codes, SSCC
- core/inventory/   ledger (movements + effects table), locations, geo (ZIP centroids), rules
                    (sourcing.yaml), sourcing planner
- core/adapters/    tables (shared MetaData), engine (SQLite pragmas), repositories, bulk writer,
                    alembic migrations
- core/services/    unit of work, message bus, handlers, placing (batched PlaceOrder), flow
                    (save + automatic 855), documents (855/856/810/850 records + outbox)
- core/queries.py   read models shared by the CLI, the gateway and the HTTP API
- core/bootstrap.py composition root: `bootstrap(url) -> Core`
"""
