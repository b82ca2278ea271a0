"""What the kiosk says aloud: the words for amounts and numbers (words.py) and the utterance for each journey
event (utterance.py). No Qt: ui/voice.py speaks what these functions return."""
from . import speechd
from .utterance import PROMPTS, Utterance, countdown_utterance, notice_utterance, step_utterance, utterance
from .words import digits, speakable, yuan

__all__ = ["PROMPTS", "Utterance", "countdown_utterance", "digits", "notice_utterance", "speakable", "speechd",
           "step_utterance", "utterance", "yuan"]
