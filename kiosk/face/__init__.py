"""Face verification (人证核验): is the person at the screen the holder of the card on the reader?

See api.py for the contract between the analyzer, the liveness check and the matcher.
"""
