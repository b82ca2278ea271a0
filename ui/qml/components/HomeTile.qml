import QtQuick

Rectangle {
    id: root
    property string title: ""
    property string subtitle: ""
    property bool primary: false
    signal clicked()
    height: theme.px(theme.elder ? 85 : 75)
    radius: theme.radius * 1.5
    color: primary ? (area.pressed ? Qt.darker(theme.primary, 1.2) : theme.primary) : (area.pressed ? "#e3e9f2" : theme.surface)
    border.color: primary ? "transparent" : theme.border
    border.width: theme.elder ? 3 : 2
    Accessible.role: Accessible.Button
    Accessible.name: title
    Column {
        id: texts
        anchors.centerIn: parent
        width: parent.width - theme.gap  // half a gap each side: four tiles across keep a long word whole
        spacing: theme.gap / 2
        Text {
            id: titleText
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            verticalAlignment: Text.AlignVCenter  // a title fitted smaller stays in the middle of its box
            text: root.title; color: root.primary ? "white" : theme.primary
            font.family: theme.fontFamily; font.pixelSize: theme.fontTitle * 0.8; font.bold: true
            // a tile shorter than its title (English, elder, a small landscape screen) sets it smaller, never
            // below the smallest legible size (tests/ui/test_physical_sizes.py)
            height: Math.min(implicitHeight, root.height - theme.gap)
            fontSizeMode: Text.Fit; minimumPixelSize: theme.fontMin
        }
        Text {
            id: subText
            // A short tile (elder mode in landscape) keeps its title whole and drops the explanation.
            visible: titleText.implicitHeight + texts.spacing + implicitHeight <= root.height - theme.gap
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: root.subtitle; color: root.primary ? "#dce7f7" : theme.textMuted
            font.family: theme.fontFamily; font.pixelSize: theme.fontSmall
        }
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: root.clicked() }
}
