"""API keys of the caller's tenant: made, listed and revoked by a keys admin (`keys:admin`)."""
