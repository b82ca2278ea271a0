"""One router per area of the API; ``central.app`` mounts them under /api/v1."""
