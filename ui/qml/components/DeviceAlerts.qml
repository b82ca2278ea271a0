import QtQuick

// Devices out of service, said calmly on the home screen (the code is for the technician).
Column {
    id: root
    objectName: "deviceAlerts"
    visible: kiosk.deviceAlerts.length > 0
    spacing: theme.gap / 2
    Repeater {
        model: kiosk.deviceAlerts
        Rectangle {
            objectName: "deviceAlert." + modelData.device
            width: root.width
            height: alertText.implicitHeight + theme.gap
            radius: theme.px(3)
            color: "#fff4e0"
            border.color: theme.warn
            border.width: 2
            Text {
                id: alertText
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
                text: modelData.text
                wrapMode: Text.WordWrap
                font.family: theme.fontFamily
                font.pixelSize: theme.fontSmall
                color: theme.warn
            }
        }
    }
}
