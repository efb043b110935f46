"""Scheduled jobs (APScheduler 3): poll each partner, send the outbox, reconcile, archive retention.

Each job claims its (job, slot) in gateway_job_runs before working, so a double fire (a second
process, a misfire catch-up) does nothing twice. See `scheduler.build_scheduler`.
"""
