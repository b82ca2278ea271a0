import QtQuick
import "../components"

ScreenPage {
    readonly property var o: kiosk.outcome
    title: o.printed ? qsTr("请取走回执") : (o.printError ? qsTr("回执未能打印") : qsTr("正在打印回执"))
    prompt: o.printed ? qsTr("回执在屏幕下方出纸口，扫描回执上的二维码可查询办理进度")
                      : (o.printError ? qsTr("您的申请已保存，可凭编号 %1 查询").arg(o.reference || o.localNumber)
                                      : qsTr("请稍候……"))
    Rectangle {
        anchors.centerIn: parent
        width: 360; height: 460; radius: 12
        color: "white"; border.color: theme.border; border.width: 2
        Column {
            anchors.centerIn: parent
            spacing: 18
            Repeater { model: 6; Rectangle { width: 260 - (index % 3) * 40; height: 14; radius: 7; color: "#d5dce6" } }
            Rectangle { anchors.horizontalCenter: parent.horizontalCenter; width: 140; height: 140; color: "#1d2733" }
        }
    }
    actions: [
        BigButton { objectName: "receipt.retry"; visible: !o.printed && o.printError > 0; primary: false
                    implicitWidth: theme.buttonWide * 0.8; text: qsTr("重新打印"); onClicked: kiosk.printAgain() },
        BigButton { objectName: "receipt.done"; text: qsTr("完成"); onClicked: kiosk.finish() }
    ]
}
