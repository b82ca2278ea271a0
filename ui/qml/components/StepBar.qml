import QtQuick

// Where the citizen is in the item's steps; derived from the item's plan, not written per item.
Row {
    id: root
    readonly property var names: ({ "guide": qsTr("须知"), "identify": qsTr("刷证"), "form": qsTr("填表"),
        "materials": qsTr("材料"), "sign": qsTr("签名"), "payment": qsTr("缴费"), "delivery": qsTr("送达"),
        "review": qsTr("确认"), "submit": qsTr("提交"), "result": qsTr("结果"),
        "receipt": kiosk.payment.isBill ? qsTr("凭条") : qsTr("回执") })
    readonly property var shown: kiosk.steps.filter(function(s) { return names[s] !== undefined && s !== "submit" })
    spacing: 8
    Repeater {
        model: root.shown
        Rectangle {
            readonly property int idx: root.shown.indexOf(kiosk.step)
            width: (root.width - (root.shown.length - 1) * root.spacing) / Math.max(1, root.shown.length)
            height: theme.elder ? 64 : 52
            radius: 8
            color: index < idx ? "#cfe0f7" : (index === idx ? theme.primary : "#e6ebf2")
            Text {
                anchors.centerIn: parent
                width: parent.width - 6
                horizontalAlignment: Text.AlignHCenter
                fontSizeMode: Text.HorizontalFit  // long English names in elder mode shrink instead of overflowing
                minimumPixelSize: 14
                elide: Text.ElideRight
                text: root.names[modelData]
                font.family: theme.fontFamily
                font.pixelSize: theme.fontSmall
                font.bold: index === parent.idx
                color: index === parent.idx ? "white" : theme.text
            }
        }
    }
}
