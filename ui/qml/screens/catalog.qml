import QtQuick
import "../components"

ScreenPage {
    showSteps: false
    title: qsTr("请选择办理事项")
    prompt: qsTr("标有“秒批”的事项提交后立即出结果")
    ListView {
        id: list
        objectName: "catalog.list"
        anchors.fill: parent
        clip: true
        spacing: theme.gap
        model: kiosk.items
        delegate: Rectangle {
            objectName: "catalog.item." + modelData.code
            width: list.width
            height: col.implicitHeight + 2 * theme.gap
            radius: theme.radius
            color: area.pressed ? "#e3e9f2" : theme.surface
            border.color: theme.border
            border.width: theme.elder ? 3 : 1
            Column {
                id: col
                anchors { left: parent.left; right: tags.left; verticalCenter: parent.verticalCenter; margins: theme.gap }
                spacing: 8
                Label { width: parent.width; text: modelData.name; size: theme.fontLarge * 0.85; font.bold: true }
                Label { width: parent.width; text: modelData.department + " · " + modelData.fee; muted: true; size: theme.fontSmall }
            }
            Row {
                id: tags
                anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
                spacing: 12
                Tag { visible: modelData.instant; text: qsTr("秒批"); fill: theme.ok }
                Tag { visible: modelData.kind === "bill_payment"; text: qsTr("缴费"); fill: theme.warn }
            }
            MouseArea { id: area; anchors.fill: parent; onClicked: kiosk.chooseItem(modelData.code) }
        }
    }
}
