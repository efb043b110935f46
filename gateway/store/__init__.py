"""The gateway's own records: received files, interchanges, documents, errors, control numbers,
job runs, and the content-addressed archive of every byte received or sent.

Tables live on the core's shared metadata (`gateway.store.tables`); the functions here are the only
place the gateway writes them, so every state change goes through the transition table in
`gateway.store.states`.
"""
