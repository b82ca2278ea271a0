import QtQuick
import "../components"

// The console: a header with "return to service", tabs, and one page per tab.
Item {
    id: panel
    property string tab: "devices"
    onVisibleChanged: if (visible) { tab = "devices"; maint.refresh() }

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 128
        color: theme.header
        Column {
            anchors { left: parent.left; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
            Text { text: qsTr("维护控制台"); color: "white"; font.family: theme.fontFamily; font.pixelSize: theme.fontLarge * 0.9; font.bold: true }
            Text {
                text: qsTr("终端 %1 · 技术员 %2").arg(maint.kioskId).arg(maint.who)
                color: "#dce7f7"; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall
            }
        }
        HeaderButton {
            objectName: "maint.leave"
            anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
            text: qsTr("返回服务")
            highlighted: true
            onClicked: maint.leave()
        }
    }
    Row {
        id: tabs
        anchors { left: parent.left; right: parent.right; top: bar.bottom; margins: theme.gap }
        spacing: theme.gap / 2
        Repeater {
            model: [["devices", qsTr("设备")], ["outbox", qsTr("待提交")], ["system", qsTr("系统与日志")]]
            Rectangle {
                objectName: "maint.tab." + modelData[0]
                width: (tabs.width - 2 * tabs.spacing) / 3; height: 96
                radius: theme.radius
                color: panel.tab === modelData[0] ? theme.primary : theme.surface
                border.color: theme.primary; border.width: 3
                Text {
                    anchors.centerIn: parent; text: modelData[1]
                    color: panel.tab === modelData[0] ? "white" : theme.primary
                    font.family: theme.fontFamily; font.pixelSize: theme.font; font.bold: true
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: { panel.tab = modelData[0]; maint.refresh() }
                }
            }
        }
    }
    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: tabs.bottom; bottom: parent.bottom
                  margins: theme.gap; bottomMargin: keyboard.active ? keyboard.height + theme.gap : theme.gap }
        DevicesPage { anchors.fill: parent; visible: panel.tab === "devices" }
        OutboxPage { anchors.fill: parent; visible: panel.tab === "outbox" }
        SystemPage { anchors.fill: parent; visible: panel.tab === "system" }
    }
}
