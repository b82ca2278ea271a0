import QtQuick

Text {
    property string title: ""
    text: title
    color: "#9fb3c8"
    font.pixelSize: 18
    font.bold: true
    topPadding: 12
}
