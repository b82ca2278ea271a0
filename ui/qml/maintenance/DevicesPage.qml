import QtQuick
import "../components"

Item {
    Flickable {
        id: flick
        objectName: "maint.devices"
        anchors.fill: parent
        visible: maint.editing === ""
        contentHeight: col.implicitHeight + theme.gap
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap
            Repeater {
                // A fixed model: the cards stay while their data refreshes each second (a tap is never lost
                // to a rebuilt row).
                model: maint.deviceCount
                DeviceCard { width: col.width; d: maint.devices[index] || ({}) }
            }
        }
    }
    UrlEditor {
        anchors.fill: parent
        visible: maint.editing !== ""
    }
}
