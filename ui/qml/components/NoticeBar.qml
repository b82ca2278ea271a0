import QtQuick

Rectangle {
    id: root
    objectName: "notice"
    property var n: kiosk.notice
    // A field's own error shows under the field; the bar is for everything else.
    visible: n.text !== undefined && n.text !== "" && !n.field
    height: visible ? msg.implicitHeight + 2 * theme.gap : 0
    anchors.leftMargin: theme.gap * 2
    anchors.rightMargin: theme.gap * 2
    radius: theme.radius
    z: 50
    color: n.level === "error" ? "#fdecea" : (n.level === "info" ? "#e8f1fd" : "#fff4e0")
    border.color: n.level === "error" ? theme.error : (n.level === "info" ? theme.primary : theme.warn)
    border.width: 3
    Text {
        id: msg
        anchors { left: parent.left; right: code.left; verticalCenter: parent.verticalCenter; margins: theme.gap }
        text: root.n.text || ""
        wrapMode: Text.WordWrap
        font.family: theme.fontFamily
        font.pixelSize: theme.font
        font.bold: true
        color: root.n.level === "error" ? theme.error : (root.n.level === "info" ? theme.primary : theme.warn)
    }
    Text {
        id: code
        anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
        text: root.n.code ? qsTr("代码 %1").arg(root.n.code) : ""
        font.family: theme.fontFamily
        font.pixelSize: theme.fontSmall * 0.8
        color: theme.textMuted
    }
}
