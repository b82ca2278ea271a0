import QtQuick
import QtQuick.Controls

Rectangle {
    // What the kiosk is doing, under the spinner (the screen's busyText): "" shows the spinner alone.
    property string text: ""
    // False where the screen shows its own busy state (ScreenPage.busyInPage): taps are still held, nothing drawn
    property bool veiled: true
    color: veiled ? "#80ffffff" : "transparent"
    z: 60
    MouseArea { anchors.fill: parent }  // swallow taps while working
    BusyIndicator { id: spinner; anchors.centerIn: parent; width: theme.px(40); height: width
                    visible: parent.veiled; running: parent.visible && parent.veiled }
    Rectangle {
        objectName: "busy.text"
        visible: parent.veiled && parent.text !== ""
        anchors { horizontalCenter: parent.horizontalCenter; top: spinner.bottom; topMargin: theme.gap }
        width: Math.min(parent.width - theme.gap * 4, said.implicitWidth + theme.gap * 2)
        height: said.implicitHeight + theme.gap
        radius: theme.px(2)
        color: theme.surface
        border.color: theme.border
        Text { id: said; anchors.centerIn: parent; width: parent.width - theme.gap * 2; wrapMode: Text.WordWrap
               horizontalAlignment: Text.AlignHCenter; text: parent.parent.text; color: theme.text
               font { family: theme.fontFamily; pixelSize: theme.fontLarge; bold: true } }
    }
}
