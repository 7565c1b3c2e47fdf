"""The sandbox REST API (v10 paths under /api/v10), enforcing Discord's rules.

:mod:`sandbox.rest.pipeline` runs every request (records, conformance, auth, rate limits,
faults); one module per resource holds its routes and registers them on the aiohttp app.
"""
