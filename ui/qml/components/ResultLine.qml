import QtQuick

// The A4 result document (issue 18): where it stands, in one calm line (fetching, printing, printed, or
// why it did not print and where to get it instead: 我的办件 at any kiosk, the receipt's QR). Hidden when
// there is nothing to say. ``result`` is ui/models/result_present.py's view.
Rectangle {
    id: root
    property var result: ({})
    readonly property string text: result.text || ""
    readonly property bool trouble: result.tone === "warn"
    visible: text !== ""
    height: visible ? row.implicitHeight + theme.gap : 0
    radius: 12
    color: trouble ? "#fff4e0" : (result.tone === "ok" ? "#e7f5ec" : "#e8f0fb")
    border.color: trouble ? theme.warn : (result.tone === "ok" ? theme.ok : theme.primary)
    border.width: 2
    // Like the notice bar, the numbered code is for technicians (the audit trail and the log carry it).
    Item {
        id: row
        implicitHeight: label.implicitHeight
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
        Text {
            id: label
            objectName: root.objectName + ".text"
            width: parent.width
            text: root.text
            wrapMode: Text.WordWrap
            font.family: theme.fontFamily
            font.pixelSize: theme.fontSmall
            color: root.trouble ? theme.warn : theme.text
        }
    }
}
