import QtQuick
import QtQuick.Controls

// Demo only: drive the simulated devices, the platform and the screen like a tester at the kiosk would.
// Every control here is named sim.* and changes what its label says (tests/ui/demo_window_cases.py).
Rectangle {
    color: "#1b2a3d"
    readonly property var faultLabels: ({
        "card_unreadable": "身份证读不出 Card unreadable", "wrong_card": "非身份证 Wrong card type",
        "paper_low": "纸将尽 Paper low", "paper_out": "缺纸 Paper out", "cover_open": "打印机开盖 Cover open",
        "printer_offline": "打印机离线 Printer offline", "camera_lost": "高拍仪断开 Camera lost",
        "scanner_lost": "扫码器断开 Scanner lost",
        "a4_paper_out": "A4缺纸 A4 paper out", "a4_jam": "A4卡纸 A4 jam", "a4_offline": "A4离线 A4 offline" })
    Flickable {
        id: flick
        objectName: "sim.scroll"
        anchors.fill: parent
        contentHeight: col.implicitHeight + 40
        clip: true
        ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
        Column {
            id: col
            x: 12; y: 12
            width: parent.width - 30
            spacing: 8
            Row {
                width: parent.width
                Text { text: "模拟器 Simulators"; color: "white"; font.pixelSize: 22; font.bold: true
                       font.family: theme.fontFamily; width: parent.width - 96 }
                SimButton { objectName: "sim.hide"; width: 96; text: "隐藏 ▶"; onClicked: win.simPanelShown = false }
            }
            SimSection { title: "屏幕 Screen" }
            SimButton { objectName: "sim.orientation"; checked: kiosk.orientation === "landscape"
                        text: kiosk.orientation === "landscape" ? "横屏 Landscape → 竖屏" : "竖屏 Portrait → 横屏"
                        onClicked: kiosk.setOrientation(kiosk.orientation === "landscape" ? "portrait" : "landscape") }
            SimButton { objectName: "sim.lang"; text: kiosk.lang === "en_US" ? "English → 中文" : "中文 → English"
                        onClicked: kiosk.setLang(kiosk.lang === "en_US" ? "zh_CN" : "en_US") }
            SimButton { objectName: "sim.elder"; checked: kiosk.elder
                        text: kiosk.elder ? "长辈模式 开 Elder mode on" : "长辈模式 关 Elder mode off"
                        onClicked: kiosk.setElder(!kiosk.elder) }
            SimButton { objectName: "sim.physicalKeyboard"; checked: win.physicalKeyboard
                        text: win.physicalKeyboard ? "实体键盘 开 Physical keyboard on" : "实体键盘 关 Physical keyboard off"
                        detail: "开: 屏幕键盘不弹出 (on: no on-screen keyboard)"
                        onClicked: win.physicalKeyboard = !win.physicalKeyboard }
            // Screen-size profiles (kiosk/screen.py): the theme's millimetres become that panel's pixels at once.
            Repeater {
                model: kiosk.screenProfiles
                SimButton { objectName: "sim.profile." + modelData; checked: kiosk.screenProfile === modelData
                            text: "屏幕 " + modelData + " 英寸 " + modelData + "-inch screen"
                            detail: kiosk.screenProfile === modelData
                                    ? (kiosk.pxPerMm.toFixed(2) + " px/mm") : ""
                            onClicked: kiosk.setScreenProfile(modelData) }
            }
            SimSection { title: "平台 Platform"; visible: sim.hasPlatform }
            Repeater {
                model: sim.hasPlatform ? [["online", "在线 Online"], ["offline", "断网 Offline"],
                                          ["slow", "缓慢 Slow"], ["errors", "返回错误 Errors"]] : []
                SimButton { objectName: "sim.platform." + modelData[0]; text: modelData[1]
                            checked: sim.platformMode === modelData[0]; onClicked: sim.setPlatform(modelData[0]) }
            }
            SimSection { title: "场景 Scenarios" }
            Repeater {
                model: sim.scenarios
                SimButton { objectName: "sim.scenario." + modelData.key; text: modelData.label
                            detail: modelData.detail || ""
                            checked: sim.scenario === modelData.key; onClicked: sim.runScenario(modelData.key) }
            }
            SimSection { title: "故障 Faults" }
            Repeater {
                model: sim.faults
                SimButton { objectName: "sim.fault." + modelData; text: faultLabels[modelData] || modelData
                            onClicked: sim.fault(modelData) }
            }
            SimButton { objectName: "sim.reset"; text: "全部恢复 All healthy"; onClicked: sim.reset() }
            SimSection { title: "身份证 ID card" }
            Repeater {
                model: sim.identities
                SimButton { objectName: "sim.card." + modelData.key; text: "放卡 " + modelData.label
                            detail: modelData.purpose; onClicked: sim.placeCard(modelData.key) }
            }
            SimButton { objectName: "sim.card.remove"; text: "取走身份证 Remove card"; onClicked: sim.removeCard() }
            SimSection { title: "高拍仪 Camera" }
            SimButton { objectName: "sim.page.form"; text: "放入申请表 Put a form"; onClicked: sim.putPage("form") }
            SimButton { objectName: "sim.page.certificate"; text: "放入证书 Put a certificate"; onClicked: sim.putPage("certificate") }
            SimButton { objectName: "sim.page.oversize"; text: "放入超大纸张 Put an oversize sheet"; onClicked: sim.putOversizeSheet() }
            SimButton { objectName: "sim.page.remove"; text: "拿走材料 Remove page"; onClicked: sim.removePage() }
            // Who stands at the face camera (人证核验) and what is held up to it (ui/demo/face_lever.py).
            SimSection { objectName: "sim.face"; title: "人脸摄像头 Face camera"; visible: sim.hasFaceCamera }
            Repeater {
                model: sim.hasFaceCamera ? [["holder", "持证人本人 The card's holder"],
                                            ["impostor", "他人冒用 An impostor"], ["nobody", "无人 Nobody"]] : []
                SimButton { objectName: "sim.face." + modelData[0]; text: modelData[1]
                            checked: sim.faceRole === modelData[0]; onClicked: sim.standAtFace(modelData[0]) }
            }
            Repeater {
                model: sim.hasFaceCamera ? [["live", "", "真人 Live person"],
                                            ["photo", "photo", "举起打印照片 Printed photo"],
                                            ["screen", "screen", "举起手机照片 Phone screen"],
                                            ["replay", "replay", "手机播放视频 Video replay"]] : []
                SimButton { objectName: "sim.face.spoof." + modelData[0]; text: modelData[2]
                            checked: sim.faceRole !== "nobody" && ((sim.knobs.face || {}).spoof || "") === modelData[1]
                            onClicked: sim.holdUpAtFace(modelData[1]) }
            }
            SimButton { objectName: "sim.face.obey"; visible: sim.hasFaceCamera
                        checked: (sim.knobs.face || {}).obey !== false
                        text: checked ? "听从指示 Follows the instructions" : "不听指示 Ignores the instructions"
                        onClicked: sim.setFaceObeys(!checked) }
            SimSection { title: "打印机 Printer" }
            SimButton { objectName: "sim.paper.ok"; text: "纸充足 Paper OK"; onClicked: sim.setPaper("ok") }
            SimButton { objectName: "sim.paper.near_end"; text: "纸将尽 Paper low"; onClicked: sim.setPaper("near_end") }
            SimButton { objectName: "sim.paper.out"; text: "缺纸 Paper out"; onClicked: sim.setPaper("out") }
            SimSection { title: "手机 Phone" }
            SimButton { objectName: "sim.pay"; text: "手机扫码付款 Pay with the phone"; onClicked: sim.payWithPhone() }
            SimSection { title: "扫码 Scanner" }
            SimButton { objectName: "sim.receipt_to_camera"; text: "回执对准高拍仪 Receipt QR to camera"; onClicked: sim.showLastReceipt() }
            SimButton { objectName: "sim.code.hide"; text: "拿开二维码 Take the code away"; onClicked: sim.hideCode() }
            SimButton { objectName: "sim.bill.electricity"; text: "扫电费账单 Scan an electricity bill"; onClicked: sim.scanBill("electricity") }
            SimButton { objectName: "sim.bill.water"; text: "扫水费账单 Scan a water bill"; onClicked: sim.scanBill("water") }
            SimButton { objectName: "sim.scan"; text: "扫描其他码 Scan some text"; onClicked: sim.scanCode("https://example.com/你好") }
        }
    }
}
