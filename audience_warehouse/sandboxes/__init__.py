"""Local stand-ins for the destination services, for tests and demos."""
