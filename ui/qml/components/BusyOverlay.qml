import QtQuick
import QtQuick.Controls

Rectangle {
    color: "#80ffffff"
    z: 60
    MouseArea { anchors.fill: parent }  // swallow taps while working
    BusyIndicator { anchors.centerIn: parent; width: theme.px(40); height: width; running: parent.visible }
}
