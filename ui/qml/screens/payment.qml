import QtQuick
import "../components"

// The QR code is what the citizen's phone must read: it always shows whole and large. In landscape the
// page is two columns (what is paid and its state on the left, the code on the right), because under the
// amount a landscape screen has no room left for a code a phone can scan.
ScreenPage {
    id: root
    readonly property var p: kiosk.payment
    title: p.isBill ? qsTr("缴纳账单") : qsTr("缴费")
    prompt: p.status === "already_paid" ? qsTr("本次未收取任何费用") : qsTr("请打开微信、支付宝或银行手机应用，扫描二维码完成支付")
    // A small screen in elder mode leaves too little room under the amount: the page then scrolls (with the
    // "more below" cue), and the code is never larger than what shows at once, so it can be seen whole.
    ScrollColumn {
        id: scroller
        anchors.fill: parent
    Item {
        id: area
        width: scroller.width
        height: twoColumns ? Math.max(info.height, qrBox.height)
                           : (status.visible ? status.y + status.height : qrBox.y + qrBox.height)
        // Two columns in landscape, and in portrait when the room under the heading is short (a small screen
        // in elder mode): a code under the card would not fit whole.
        readonly property bool twoColumns: win.landscape || room < theme.px(theme.elder ? 170 : 150)
        readonly property int room: scroller.height  // (less the "more below" cue's height for a code beside the card)
        readonly property int qrSide: twoColumns
            ? Math.min(room - theme.fontSmall * 1.6, width * 0.45, theme.px(150))
            : Math.min(room - (status.visible ? status.height + theme.gap : 0),
                       Math.max(theme.px(45), Math.min(width * 0.6, theme.px(140),
                                                       room - info.height - status.height - 2 * theme.gap)))
        // (the portrait status label's height counts only when it shows)
        Card {
            id: info
            width: area.twoColumns ? area.width - qrBox.width - 2 * theme.gap : area.width
            Column {
                width: parent.width
                spacing: theme.px(2.5)
                // (a narrow card on a small elder screen: a word longer than the card, "Endorsement", breaks)
                Label { width: parent.width; text: root.p.item || ""; font.bold: true
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere }
                Label { visible: root.p.isBill && root.p.billPeriod !== ""; width: parent.width; muted: true
                        objectName: "payment.bill"
                        text: qsTr("户号 %1　账期 %2　户名 %3").arg(root.p.account).arg(root.p.billPeriod).arg(root.p.billHolder) }
                Flow {  // the amount goes under its label when the card is narrow (two columns on a small screen)
                    width: parent.width
                    spacing: theme.gap
                    Label { text: root.p.status === "already_paid" ? qsTr("已缴金额") : qsTr("应缴金额")
                            height: amount.height; verticalAlignment: Text.AlignVCenter }
                    Label { id: amount; objectName: "payment.amount"; text: root.p.amount || "…"; size: theme.fontTitle
                            font.bold: true; color: theme.error }
                }
                Label {  // two columns: the state under the amount (no room under the card in elder mode)
                    objectName: "payment.status"
                    visible: area.twoColumns
                    width: parent.width
                    text: root.p.statusText || ""
                    font.bold: true
                    color: root.p.status === "paid" ? theme.ok : theme.text
                }
            }
        }
        Rectangle {
            id: qrBox
            width: area.qrSide
            height: width
            x: area.twoColumns ? area.width - width : (area.width - width) / 2
            y: area.twoColumns ? 0 : info.height + theme.gap
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
                text: root.p.status === "paid" || root.p.status === "already_paid" ? "✓" : "…"
                font.pixelSize: parent.height * 0.4
                color: root.p.status === "paid" || root.p.status === "already_paid" ? theme.ok : theme.textMuted
            }
        }
        Label {
            id: status
            objectName: "payment.status"
            visible: !area.twoColumns
            width: info.width
            y: qrBox.y + qrBox.height + theme.gap
            horizontalAlignment: Text.AlignHCenter
            text: root.p.statusText || ""
            size: theme.fontLarge
            font.bold: true
            color: root.p.status === "paid" ? theme.ok : theme.text
        }
    }
    }
    actions: [
        BigButton { objectName: "payment.home"; visible: root.p.status === "already_paid"
                    text: qsTr("返回首页"); onClicked: kiosk.cancel() },
        BigButton { objectName: "payment.again"; visible: root.p.status === "expired"
                        || (root.p.orderId === "" && !kiosk.busy && root.p.status !== "already_paid")
                    text: qsTr("重新生成二维码"); onClicked: kiosk.payAgain() }
    ]
}
