import QtQuick
import "../components"

ScreenPage {
    id: root
    title: qsTr("拍摄材料（%1/%2）").arg(kiosk.material.index || 0).arg(kiosk.material.count || 0)
    prompt: qsTr("请将“%1”正面朝上平放在高拍仪下方").arg(kiosk.material.name || "")
    property int frame: 0
    Timer { interval: 200; running: true; repeat: true; onTriggered: root.frame++ }
    Column {
        anchors.fill: parent
        spacing: theme.gap
        Rectangle {
            width: parent.width
            height: parent.height - info.height - theme.gap
            color: "#202830"
            radius: theme.radius
            Image {
                id: preview
                objectName: "materials.preview"
                anchors { fill: parent; margins: 8 }
                fillMode: Image.PreserveAspectFit
                cache: false
                asynchronous: false
                source: "image://preview/" + root.frame
            }
        }
        Card {
            id: info
            width: parent.width
            Column {
                width: parent.width
                spacing: 8
                Label { width: parent.width; text: kiosk.material.note || ""; muted: true; visible: text !== "" }
                Label {
                    width: parent.width
                    font.bold: true
                    text: qsTr("已拍 %1 页").arg(kiosk.material.pages || 0) +
                          ((kiosk.material.minPages || 0) > 0 ? qsTr("，至少需要 %1 页").arg(kiosk.material.minPages) : "")
                }
            }
        }
    }
    actions: [
        BigButton {
            objectName: "materials.remove"
            visible: (kiosk.material.pages || 0) > 0
            primary: false
            implicitWidth: theme.buttonWide * 0.6
            text: qsTr("删除上一页")
            onClicked: kiosk.removePage((kiosk.material.pages || 1) - 1)
        },
        BigButton {
            objectName: "materials.capture"
            primary: (kiosk.material.pages || 0) < (kiosk.material.minPages || 1)
            implicitWidth: theme.buttonWide * 0.7
            text: qsTr("拍摄")
            onClicked: kiosk.capture()
        },
        BigButton {
            objectName: "materials.next"
            primary: (kiosk.material.pages || 0) >= (kiosk.material.minPages || 1)
            implicitWidth: theme.buttonWide * 0.7
            text: kiosk.material.last ? qsTr("完成拍摄") : qsTr("下一项")
            onClicked: kiosk.materialDone()
        }
    ]
}
