import QtQuick
import QtQuick.Controls

// Demo only: drive the simulated devices like a tester at the kiosk would.
Rectangle {
    color: "#1b2a3d"
    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight + 40
        Column {
            id: col
            x: 16; y: 16
            width: parent.width - 32
            spacing: 10
            Text { text: "模拟设备 Simulators"; color: "white"; font.pixelSize: 24; font.bold: true; font.family: theme.fontFamily }
            SimSection { title: "身份证 ID card" }
            Repeater {
                model: sim.identities
                SimButton { objectName: "sim.card." + modelData.key; text: "放卡 " + modelData.label; onClicked: sim.placeCard(modelData.key) }
            }
            SimButton { objectName: "sim.card.remove"; text: "取走身份证 Remove card"; onClicked: sim.removeCard() }
            SimSection { title: "高拍仪 Camera" }
            SimButton { objectName: "sim.page.form"; text: "放入申请表 Put a form"; onClicked: sim.putPage("form") }
            SimButton { objectName: "sim.page.certificate"; text: "放入证书 Put a certificate"; onClicked: sim.putPage("certificate") }
            SimButton { objectName: "sim.page.remove"; text: "拿走材料 Remove page"; onClicked: sim.removePage() }
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
