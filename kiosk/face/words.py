"""What the face step says, on screen and by voice (keys from ``kiosk.journey.steps.face.instruction_key``)."""
from __future__ import annotations

from ..platform.catalog_schema import Text

INSTRUCTIONS: dict[str, Text] = {
    "consent": Text(zh="本事项需要核验本人。请阅读人脸识别授权说明，选择同意或不同意",
                    en="This item needs to confirm it is you. Please read the face check consent and choose"),
    "looking.oval": Text(zh="请正对摄像头，将面部放入椭圆框内", en="Please face the camera and fit your face in the oval"),
    "looking.no_face": Text(zh="未检测到人脸，请正对屏幕上方的摄像头", en="No face seen: please face the camera above the screen"),
    "looking.adjust": Text(zh="请靠近一些，保持正脸，摘下帽子和口罩",
                           en="Please come a little closer, face straight ahead, without a hat or mask"),
    "challenge.blink": Text(zh="请眨眨眼", en="Please blink"),
    "challenge.turn_left": Text(zh="请慢慢向左转头", en="Please turn your head slowly to your left"),
    "challenge.turn_right": Text(zh="请慢慢向右转头", en="Please turn your head slowly to your right"),
    "checking": Text(zh="请正对摄像头，保持不动", en="Please look straight at the camera and hold still"),
    "checking.no_face": Text(zh="请回到摄像头前，正对摄像头", en="Please come back in front of the camera"),
    "checking.adjust": Text(zh="请正对摄像头，保持不动", en="Please look straight at the camera and hold still"),
    "passed": Text(zh="人脸核验通过", en="Face check passed"),
}


def instruction(key: str, lang: str) -> str:
    text = INSTRUCTIONS.get(key)
    return text.get(lang) if text is not None else ""
