"""One module per step of the citizen's journey (screens without actions share ``screens``)."""
from __future__ import annotations

from .base import StepHandler
from .catalog import CatalogStep
from .delivery import DeliveryStep
from .end import EndStep
from .face import FaceStep
from .form import FormStep
from .identify import IdentifyStep
from .materials import MaterialsStep
from .mine import MineStep
from .payment import PaymentStep
from .receipt import ReceiptStep
from .screens import AttractStep, GuideStep, HomeStep, ResultStep, ReviewStep
from .sign import SignStep
from .status import StatusStep
from .submit import SubmitStep

__all__ = ["StepHandler", "AttractStep", "HomeStep", "CatalogStep", "GuideStep", "IdentifyStep", "FaceStep", "FormStep",
           "MaterialsStep", "SignStep", "PaymentStep", "DeliveryStep", "ReviewStep", "SubmitStep", "ResultStep",
           "ReceiptStep", "StatusStep", "EndStep", "MineStep"]
