import QtQuick

Rectangle {
    id: root
    property string text: ""
    property bool highlighted: false
    signal clicked()
    width: Math.max(theme.px(theme.elder ? 32 : 28), label.implicitWidth + 2 * theme.gap)
    height: theme.target + theme.px(2)
    radius: height / 2
    color: area.pressed ? "#33ffffff" : (highlighted ? "#f5b700" : "#22ffffff")
    border.color: "#aaffffff"
    border.width: 2
    Accessible.role: Accessible.Button
    Accessible.name: text
    Text {
        id: label
        anchors.centerIn: parent
        text: root.text
        color: root.highlighted ? "#1d2733" : "white"
        font.family: theme.fontFamily
        font.pixelSize: theme.font
        font.bold: true
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: root.clicked() }
}
