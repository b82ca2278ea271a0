"""Application core: pure Python, no Qt, nothing from ui/ or central/."""
