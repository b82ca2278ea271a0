import QtQuick

// The platform is unreachable: said calmly before anyone starts (kiosk.platform.reachability), with what
// can still be done. Gone by itself when the platform answers again.
Rectangle {
    id: root
    objectName: "offlineNotice"
    property string text: kiosk.offlineNotice.text || ""
    visible: text !== ""
    height: visible ? label.implicitHeight + theme.gap : 0
    radius: 12
    color: "#e8f0fb"
    border.color: theme.primary
    border.width: 2
    Text {
        id: label
        objectName: "offlineNotice.text"
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
        text: root.text
        wrapMode: Text.WordWrap
        font.family: theme.fontFamily
        font.pixelSize: theme.fontSmall
        color: theme.text
    }
}
