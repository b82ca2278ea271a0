"""Pages for a citizen's materials: the live preview's automatic capture (``auto``) and turning a camera or
scanner still into a checked, straightened page (``pages``). Knows the document camera's page processing
(devices), nothing of the journey."""
