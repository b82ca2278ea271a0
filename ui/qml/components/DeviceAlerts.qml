import QtQuick

// Devices out of service, said calmly on the home screen (the code is for the technician).
Column {
    id: root
    objectName: "deviceAlerts"
    visible: kiosk.deviceAlerts.length > 0
    spacing: 10
    Repeater {
        model: kiosk.deviceAlerts
        Rectangle {
            objectName: "deviceAlert." + modelData.device
            width: root.width
            height: alertText.implicitHeight + theme.gap
            radius: 12
            color: "#fff4e0"
            border.color: theme.warn
            border.width: 2
            Text {
                id: alertText
                anchors { left: parent.left; right: code.left; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
                text: modelData.text
                wrapMode: Text.WordWrap
                font.family: theme.fontFamily
                font.pixelSize: theme.fontSmall
                color: theme.warn
            }
            Text {
                id: code
                anchors { right: parent.right; rightMargin: theme.gap / 2; verticalCenter: parent.verticalCenter }
                text: modelData.code ? qsTr("代码 %1").arg(modelData.code) : ""
                font.family: theme.fontFamily
                font.pixelSize: theme.fontSmall * 0.8
                color: theme.textMuted
            }
        }
    }
}
