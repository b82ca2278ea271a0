import QtQuick
import QtQuick.Controls

Rectangle {
    color: "#80ffffff"
    z: 60
    MouseArea { anchors.fill: parent }  // swallow taps while working
    BusyIndicator { anchors.centerIn: parent; width: 160; height: 160; running: parent.visible }
}
