"""The gateway flow: receive files from partner mailboxes, process them (check, acknowledge, map,
apply to the core), render and send the core's outbox, and take in the partners' 997/999.

Entry points: `Gateway.open(home)` builds the context; `run_once(gateway)` does one full pass
(`ordergate run --once`); the scheduler in `gateway.jobs` calls the same steps on a timer.
"""
