"""What every stage shares: settings, domain types, errors, text rules and collaborator protocols.

Nothing here imports another project package; every other package may import from here.
"""
