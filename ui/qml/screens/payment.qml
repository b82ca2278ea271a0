import QtQuick
import "../components"

ScreenPage {
    id: root
    readonly property var p: kiosk.payment
    title: p.isBill ? qsTr("缴纳账单") : qsTr("缴费")
    prompt: qsTr("请打开微信、支付宝或银行手机应用，扫描下方二维码完成支付")
    Column {
        anchors { left: parent.left; right: parent.right; top: parent.top }
        spacing: theme.gap
        Card {
            width: parent.width
            Column {
                width: parent.width
                spacing: 10
                Label { width: parent.width; text: root.p.item || ""; font.bold: true }
                Label { visible: root.p.isBill && root.p.billPeriod !== ""; width: parent.width; muted: true
                        text: qsTr("账期 %1　户名 %2").arg(root.p.billPeriod).arg(root.p.billHolder) }
                Row {
                    spacing: theme.gap
                    Label { text: qsTr("应缴金额"); anchors.baseline: amount.baseline }
                    Label { id: amount; objectName: "payment.amount"; text: root.p.amount || "…"; size: theme.fontTitle
                            font.bold: true; color: theme.error }
                }
            }
        }
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.min(parent.width * 0.6, win.landscape ? 380 : 560)
            height: width
            radius: theme.radius
            color: "white"
            border.color: theme.border
            border.width: 2
            Image {
                id: qr
                objectName: "payment.qr"
                anchors { fill: parent; margins: theme.gap }
                visible: root.p.orderId !== "" && root.p.status === "pending"
                source: root.p.orderId !== "" ? "image://payqr/" + root.p.orderId : ""
                cache: false
                smooth: false
                fillMode: Image.PreserveAspectFit
            }
            Text {
                anchors.centerIn: parent
                visible: !qr.visible
                text: root.p.status === "paid" ? "✓" : "…"
                font.pixelSize: parent.height * 0.4
                color: root.p.status === "paid" ? theme.ok : theme.textMuted
            }
        }
        Label {
            objectName: "payment.status"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.p.statusText || ""
            size: theme.fontLarge
            font.bold: true
            color: root.p.status === "paid" ? theme.ok : theme.text
        }
    }
    actions: [
        BigButton { objectName: "payment.again"; visible: root.p.status === "expired" || (root.p.orderId === "" && !kiosk.busy)
                    text: qsTr("重新生成二维码"); onClicked: kiosk.payAgain() }
    ]
}
