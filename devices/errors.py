"""Numbered device error codes, each with a message for the citizen (zh/en) and a remedy for the technician.

Codes are stable: they appear on screen, in the audit trail and in docs/troubleshooting.md.
Ranges: 1000 generic transport/device, 1100 ID card reader, 1200 printer, 1300 barcode, 1400 camera
(1410 document scanner, devices.scanner), 1250 A4 printer (devices.a4: CUPS / IPP), 1270 face camera
(devices.camera.face).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class ErrorKind(StrEnum):
    HARDWARE = "hardware"  # a part is broken, unplugged or out of supplies
    SOFTWARE = "software"  # configuration, drivers, permissions
    USER = "user"  # the citizen can fix it (put the card back, scan again)


@dataclass(frozen=True)
class ErrorInfo:
    code: int
    zh: str
    en: str
    remedy: str
    kind: str = ErrorKind.HARDWARE


class DeviceErrorCode(IntEnum):
    # 1000: generic
    TRANSPORT_OPEN_FAILED = 1001
    TRANSPORT_LOST = 1002
    TIMEOUT = 1003
    PROTOCOL = 1004
    UNSUPPORTED_URL = 1005
    NATIVE_LIBRARY_MISSING = 1006
    PERMISSION_DENIED = 1007
    NOT_CONFIGURED = 1008
    BUSY = 1009
    # 1100: ID card reader (SAM)
    IDCARD_SAM_FAULT = 1101
    IDCARD_READ_FAILED = 1102
    IDCARD_BAD_NUMBER = 1103
    IDCARD_UNKNOWN_TYPE = 1104
    IDCARD_REMOVED_EARLY = 1105
    IDCARD_PHOTO_UNDECODABLE = 1106
    # 1200: receipt printer
    PRINTER_PAPER_OUT = 1201
    PRINTER_COVER_OPEN = 1202
    PRINTER_CUTTER = 1203
    PRINTER_OFFLINE = 1204
    PRINTER_UNRECOVERABLE = 1205
    PRINTER_JOB_INTERRUPTED = 1206
    # 1250: A4 printer through CUPS (cups://QUEUE, devices.a4)
    A4_SERVER_UNREACHABLE = 1250
    A4_QUEUE_NOT_FOUND = 1251
    A4_PAPER_OUT = 1252
    A4_JAM = 1253
    A4_DOOR_OPEN = 1254
    A4_TONER_EMPTY = 1255
    A4_OFFLINE = 1256
    A4_PAUSED = 1257
    A4_REJECTING = 1258
    A4_JOB_FAILED = 1259
    A4_JOB_CANCELED = 1260
    A4_JOB_TIMEOUT = 1261
    A4_FORBIDDEN = 1262
    A4_PROTOCOL = 1263
    A4_FORMAT = 1264
    A4_FAULT = 1265
    A4_JOB_WITHDRAWN = 1266
    # 1270: face camera (人证核验's camera: camera://N or sim://face; devices.camera.face)
    FACE_CAMERA_NOT_FOUND = 1270
    FACE_CAMERA_NO_FRAMES = 1271
    FACE_CAMERA_RESOLUTION = 1272
    # 1300: barcode reader
    BARCODE_NO_EVDEV = 1301
    BARCODE_READ_FAILED = 1302
    # 1400: camera
    CAMERA_NOT_FOUND = 1401
    CAMERA_FRAME_FAILED = 1402
    CAMERA_RESOLUTION = 1403
    # 1410: document scanner through SANE (sane://, devices.scanner)
    SCANNER_NOT_FOUND = 1410
    SCANNER_FEEDER_EMPTY = 1411
    SCANNER_JAMMED = 1412
    SCANNER_COVER_OPEN = 1413
    SCANNER_FAILED = 1414
    SCANNER_OPTION = 1415
    SCANNER_PROGRAM_MISSING = 1416
    SCANNER_TIMEOUT = 1417


_INFO: dict[int, ErrorInfo] = {}


def _register(code: DeviceErrorCode, zh: str, en: str, remedy: str, kind: str = ErrorKind.HARDWARE) -> None:
    _INFO[int(code)] = ErrorInfo(int(code), zh, en, remedy, kind)


C = DeviceErrorCode
_register(C.TRANSPORT_OPEN_FAILED, "设备未连接", "The device is not connected",
          "Check the cable and the device URL in settings; for serial ports check permissions (group dialout).")
_register(C.TRANSPORT_LOST, "设备连接中断", "The device connection was lost",
          "The device stopped answering or was unplugged; reconnect it, the kiosk retries by itself.")
_register(C.TIMEOUT, "设备无响应", "The device does not respond",
          "Check power and cable; check the baud rate in the device URL.")
_register(C.PROTOCOL, "设备通信错误", "Device communication error",
          "Garbled data on the line: check the baud rate, the cable and electrical noise.")
_register(C.UNSUPPORTED_URL, "设备配置错误", "Device configuration error",
          "The device URL has an unknown scheme or a bad parameter (the detail names it); schemes: serial://, "
          "socket://, file://, camera://, sane://, cups:// or sim://.",
          ErrorKind.SOFTWARE)
_register(C.NATIVE_LIBRARY_MISSING, "设备驱动缺失", "A device driver is missing",
          "Install the missing system library named in the log (e.g. libzbar0) and restart.", ErrorKind.SOFTWARE)
_register(C.PERMISSION_DENIED, "设备无访问权限", "No permission to use the device",
          "Add the kiosk user to the device's group (dialout for serial, video for cameras, input for evdev, "
          "scanner for SANE scanners).",
          ErrorKind.SOFTWARE)
_register(C.NOT_CONFIGURED, "设备未配置", "The device is not configured",
          "Set the device URL in the maintenance console.", ErrorKind.SOFTWARE)
_register(C.BUSY, "设备忙", "The device is busy", "Wait for the current operation to finish.", ErrorKind.SOFTWARE)
_register(C.IDCARD_SAM_FAULT, "身份证阅读器故障", "The ID card reader has a fault",
          "The SAM module failed its self-test or is not authorised; reset it or replace the reader.")
_register(C.IDCARD_READ_FAILED, "身份证读取失败，请重新放置", "The ID card could not be read; please place it again",
          "Usually the card was moved; if it keeps failing clean the reader surface or try another card.",
          ErrorKind.USER)
_register(C.IDCARD_BAD_NUMBER, "身份证号码校验失败", "The ID number failed its check",
          "The card's number fails the GB 11643 check digit: the card is damaged or not genuine.", ErrorKind.USER)
_register(C.IDCARD_UNKNOWN_TYPE, "无法识别的证件类型", "Unrecognised card type",
          "Only resident ID cards and residence permits are accepted.", ErrorKind.USER)
_register(C.IDCARD_REMOVED_EARLY, "证件已移开，请放回", "The card was removed; please put it back",
          "The citizen removed the card during reading.", ErrorKind.USER)
_register(C.IDCARD_PHOTO_UNDECODABLE, "证件照片无法解码", "The card photo cannot be decoded",
          "No WLT photo decoder library is installed (reader option photo_decoder, docs/devices-idcard.md); "
          "text data is still read.", ErrorKind.SOFTWARE)
_register(C.PRINTER_PAPER_OUT, "打印机缺纸", "The printer is out of paper", "Load a new paper roll and close the cover.")
_register(C.PRINTER_COVER_OPEN, "打印机盖未关闭", "The printer cover is open", "Close the printer cover.")
_register(C.PRINTER_CUTTER, "打印机切刀故障", "The printer cutter has a fault",
          "Open the cover, clear the paper jam at the cutter, close the cover.")
_register(C.PRINTER_OFFLINE, "打印机离线", "The printer is offline", "Check power and cable of the receipt printer.")
_register(C.PRINTER_UNRECOVERABLE, "打印机严重故障", "The printer has a serious fault",
          "Power-cycle the printer; if it persists, replace it.")
_register(C.PRINTER_JOB_INTERRUPTED, "打印中断", "Printing was interrupted",
          "The job stopped part way (paper out or cover open); fix the cause and reprint from the console.")
_register(C.A4_SERVER_UNREACHABLE, "A4打印机服务未响应", "The A4 print server does not answer",
          "cupsd is not running or not reachable: `systemctl status cups`; check server= in the cups:// URL "
          "(default: CUPS_SERVER, else /run/cups/cups.sock, else localhost:631). The kiosk retries by itself.")
_register(C.A4_QUEUE_NOT_FOUND, "A4打印机未找到", "The A4 printer queue does not exist",
          "The print server has no queue of the name in the cups:// URL: `lpstat -e` lists the queues; pick one in "
          "the console's device settings or add it with lpadmin / the CUPS web page.", ErrorKind.SOFTWARE)
_register(C.A4_PAPER_OUT, "A4打印机缺纸", "The A4 printer is out of paper",
          "Load A4 paper into the tray named on the printer's panel; the queue resumes by itself.")
_register(C.A4_JAM, "A4打印机卡纸", "The A4 printer has a paper jam",
          "Open the doors the printer's panel names, take out the jammed sheet, close them.")
_register(C.A4_DOOR_OPEN, "A4打印机盖门未关闭", "A door or cover of the A4 printer is open", "Close every door and cover.")
_register(C.A4_TONER_EMPTY, "A4打印机墨粉耗尽", "The A4 printer is out of toner or ink",
          "Replace the toner cartridge (or ink) the printer's panel names.")
_register(C.A4_OFFLINE, "A4打印机离线", "The A4 printer is offline",
          "CUPS cannot reach the printer: check its power, cable or network and the queue's device URI "
          "(`lpstat -v`).")
_register(C.A4_PAUSED, "A4打印队列已暂停", "The A4 printer queue is paused",
          "Someone or a failed job stopped the queue: fix the cause (`lpstat -p` shows its message), then "
          "`cupsenable QUEUE`.", ErrorKind.SOFTWARE)
_register(C.A4_REJECTING, "A4打印队列拒绝任务", "The A4 printer queue rejects jobs",
          "The queue does not accept jobs (cupsreject): `cupsaccept QUEUE` once the printer is ready.",
          ErrorKind.SOFTWARE)
_register(C.A4_JOB_FAILED, "A4打印任务失败", "The A4 print job failed",
          "CUPS aborted the job (a filter or the backend failed; the detail quotes its reasons): see "
          "/var/log/cups/error_log, then print again.")
_register(C.A4_JOB_CANCELED, "A4打印任务已取消", "The A4 print job was cancelled",
          "The job was cancelled at the print server (or by the kiosk when the printer faulted mid-job, so "
          "a citizen's document never prints for the next person): fix the printer and print again.")
_register(C.A4_JOB_WITHDRAWN, "A4打印任务已撤回", "The A4 print job was withdrawn before printing",
          "The kiosk withdrew the job while it still waited in the queue (the citizen left the goodbye screen "
          "with 返回首页): nothing came out. Not a fault; the citizen may print the result again from 我的办件.")
_register(C.A4_JOB_TIMEOUT, "A4打印超时", "The A4 print job did not finish in time",
          "The job did not complete within job_timeout_s (cups:// URL) and was cancelled: check the printer "
          "and the queue (`lpstat -o`), raise job_timeout_s for a slow printer.")
_register(C.A4_FORBIDDEN, "A4打印无权限", "The print server refuses the kiosk",
          "cupsd's policy does not let this user print or read the queue: check the queue's allowed users "
          "(lpadmin -u) and the <Policy> in cupsd.conf; user= in the cups:// URL names the user.", ErrorKind.SOFTWARE)
_register(C.A4_PROTOCOL, "A4打印服务通信错误", "Print server communication error",
          "The print server gave an answer that is not IPP or an unexpected IPP status (the detail quotes it): "
          "check server= in the cups:// URL points at cupsd, not another web server.", ErrorKind.SOFTWARE)
_register(C.A4_FORMAT, "A4打印机不支持PDF", "The A4 printer does not take PDF",
          "The queue has no filter from application/pdf: install cups-filters and the printer's driver (PPD), "
          "or use an IPP Everywhere queue.", ErrorKind.SOFTWARE)
_register(C.A4_FAULT, "A4打印机故障", "The A4 printer reports a fault",
          "The printer reports an error CUPS names in the detail (printer-state-reasons): see its panel and "
          "`lpstat -l -p QUEUE`.")
_register(C.FACE_CAMERA_NOT_FOUND, "人脸摄像头未连接", "The face camera is not connected",
          "Check the face camera's USB cable; `v4l2-ctl --list-devices` should list it; check the index in "
          "[devices.face_camera] url (camera://N: the document camera is usually another index).")
_register(C.FACE_CAMERA_NO_FRAMES, "人脸摄像头无画面", "The face camera gives no picture",
          "The face camera opened but sends no frames: reconnect it, check that no other program uses it "
          "(`fuser /dev/videoN`), and that its USB port gives enough bandwidth (lower width/height in the URL).")
_register(C.FACE_CAMERA_RESOLUTION, "人脸摄像头分辨率不足", "The face camera resolution is too low",
          "The face camera gave fewer than 480 lines: set width=640&height=480 (or more) in its camera:// URL; "
          "a face needs about 100 pixels between the ears for the face check.")
_register(C.BARCODE_NO_EVDEV, "扫码器不可用", "The barcode scanner is unavailable",
          "python-evdev is missing or /dev/input is not readable: install python3-evdev, add the user to group input.",
          ErrorKind.SOFTWARE)
_register(C.BARCODE_READ_FAILED, "扫码失败", "The code could not be read", "Ask the citizen to scan again.",
          ErrorKind.USER)
_register(C.CAMERA_NOT_FOUND, "高拍仪未连接", "The document camera is not connected",
          "Check the USB cable; `v4l2-ctl --list-devices` should list it; check the camera index in settings.")
_register(C.CAMERA_FRAME_FAILED, "高拍仪取图失败", "The document camera gave no picture",
          "Reconnect the camera; check that no other program uses it.")
_register(C.CAMERA_RESOLUTION, "高拍仪分辨率不足", "The document camera resolution is too low",
          "The camera gave a smaller size than configured: set fourcc=MJPG in the camera URL.")
_register(C.SCANNER_NOT_FOUND, "扫描仪未连接", "The document scanner is not connected",
          "`scanimage -L` must list the device named in the sane:// URL: check the scanner's power and USB or "
          "network cable, that its backend is enabled in /etc/sane.d/dll.conf, and the device name in settings.")
_register(C.SCANNER_FEEDER_EMPTY, "请将材料放入扫描仪", "Please put the pages into the scanner",
          "The feeder reported no paper: the citizen loads the pages; if pages are loaded, clean the paper sensor "
          "or set source=Flatbed in the sane:// URL.", ErrorKind.USER)
_register(C.SCANNER_JAMMED, "扫描仪卡纸", "The scanner has a paper jam",
          "Open the feeder, take out the jammed sheet, close it; the next good scan clears the fault.")
_register(C.SCANNER_COVER_OPEN, "扫描仪盖板未关闭", "The scanner cover is open",
          "Close the scanner's cover or feeder door; the next good scan clears the fault.")
_register(C.SCANNER_FAILED, "扫描失败", "The scan failed",
          "scanimage reported an I/O or memory error (the detail quotes it): reconnect the scanner and try "
          "`scanimage -d DEVICE -T`; if it persists power-cycle the scanner.")
_register(C.SCANNER_OPTION, "扫描仪配置错误", "Scanner configuration error",
          "The scanner refused an option from the sane:// URL or extra_args (the detail quotes scanimage): "
          "`scanimage -d DEVICE -A` lists the modes, sources and resolutions this scanner takes.",
          ErrorKind.SOFTWARE)
_register(C.SCANNER_PROGRAM_MISSING, "扫描程序缺失", "The scanning program is missing",
          "Install sane-utils (tools/system-deps.sh) so scanimage exists, or fix the driver option program.",
          ErrorKind.SOFTWARE)
_register(C.SCANNER_TIMEOUT, "扫描仪无响应", "The scanner does not respond",
          "scanimage gave no page within timeout_s (sane:// URL, default 60 s) and was stopped: power-cycle the "
          "scanner; raise timeout_s for a slow scanner at high resolution.")


def error_info(code: int) -> ErrorInfo:
    """The message and remedy for a code; unknown codes get a generic text, never an exception."""
    info = _INFO.get(int(code))
    if info is None:
        return ErrorInfo(int(code), f"设备故障（{int(code)}）", f"Device fault ({int(code)})",
                         "Unknown code: see the log.")
    return info


def all_errors() -> list[ErrorInfo]:
    return [_INFO[k] for k in sorted(_INFO)]


class DeviceError(Exception):
    """An error a device reports: a numbered code plus detail for the technician's log."""

    def __init__(self, code: int, detail: str = "") -> None:
        self.code = int(code)
        self.detail = detail
        info = error_info(code)
        super().__init__(f"[{self.code}] {info.en}" + (f": {detail}" if detail else ""))

    @property
    def info(self) -> ErrorInfo:
        return error_info(self.code)
