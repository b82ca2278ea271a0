import QtQuick
import "../components"

ScreenPage {
    id: root
    property bool helpShown: kiosk.notice.code !== undefined && kiosk.notice.code >= 1100 && kiosk.notice.code < 1200
    title: qsTr("请刷身份证")
    prompt: qsTr("将身份证放在下方的感应区，听到提示音前请勿移开")
    // From the moment the reader finds the card until the form (the card read, then the platform asked)
    busyText: qsTr("正在读取身份证信息，请稍候")
    Item {
        id: art
        anchors.fill: parent
        // The reader and the card at their real size (an ID card is 85.6 x 54 mm, drawn 106 x 67 mm with the
        // reader) where the page is tall enough; scaled down to fit where it is short (15.6" landscape), so the
        // illustration is never cut. Its labels keep their sizes, and go where the drawing is too small for them.
        readonly property real natural: theme.px(49.5) + theme.px(67) * 0.95
        readonly property real k: Math.max(0.1, Math.min(1, (height - theme.gap * 2) / natural))
        Rectangle {
            id: reader
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom
                      bottomMargin: Math.min(theme.gap * 4, Math.max(0, art.height - art.natural * art.k)) }
            width: theme.px(154) * art.k; height: theme.px(49.5) * art.k; radius: theme.px(6) * art.k
            color: "#2b3a4f"
            Text { anchors.centerIn: parent; visible: reader.height >= height * 1.5 && reader.width >= width * 1.2; text: qsTr("身份证感应区"); color: "#cfd8e3"; font.family: theme.fontFamily; font.pixelSize: theme.font }
        }
        Rectangle {
            id: card
            width: theme.px(106) * art.k; height: theme.px(67) * art.k; radius: theme.px(5.5) * art.k
            anchors.horizontalCenter: parent.horizontalCenter
            gradient: Gradient {
                GradientStop { position: 0; color: "#d9ecff" }
                GradientStop { position: 1; color: "#9cc6f0" }
            }
            border.color: "#5b8fc7"; border.width: 3
            Text { anchors.centerIn: parent; visible: card.height >= height * 1.5 && card.width >= width * 1.2; text: qsTr("居民身份证"); font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; color: "#1f4e85"; font.bold: true }
            SequentialAnimation on y {
                loops: Animation.Infinite
                NumberAnimation { from: Math.max(0, reader.y - card.height - 160); to: Math.max(0, reader.y - card.height * 0.45)
                                  duration: 1400; easing.type: Easing.InOutQuad }
                PauseAnimation { duration: 900 }
            }
        }
    }
    Card {
        objectName: "identify.help"
        visible: root.helpShown
        anchors { left: parent.left; right: parent.right; top: parent.top }
        Column {
            width: parent.width
            spacing: theme.px(2.5)
            Label { text: qsTr("读不出身份证？"); font.bold: true }
            Label { width: parent.width; text: qsTr("• 请把证件正面朝上、平放在感应区中央，放稳后不要移动") }
            Label { width: parent.width; text: qsTr("• 也可使用港澳台居民居住证、外国人永久居留身份证") }
            Label { width: parent.width; text: qsTr("• 证件损坏或过期的，请点下方按钮请工作人员协助") }
        }
    }
    actions: [
        BigButton { objectName: "identify.trouble"; primary: false; implicitWidth: theme.buttonWide * 0.8
                    text: root.helpShown ? qsTr("呼叫工作人员") : qsTr("读卡遇到问题")
                    onClicked: root.helpShown ? kiosk.callHelp() : root.helpShown = true }
    ]
}
