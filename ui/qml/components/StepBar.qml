import QtQuick

// Where the citizen is in the item's steps; derived from the item's plan, not written per item.
// When the names do not fit whole at a legible size (many steps on a small screen in elder mode), only the
// current step shows its name, with its number ("填表 3/9"); the others are plain marks.
Row {
    id: root
    readonly property var names: ({ "guide": qsTr("须知"), "identify": qsTr("刷证"), "face": qsTr("刷脸"), "form": qsTr("填表"),
        "materials": qsTr("材料"), "sign": qsTr("签名"), "payment": qsTr("缴费"), "delivery": qsTr("送达"),
        "review": qsTr("确认"), "submit": qsTr("提交"), "result": qsTr("结果"),
        "receipt": kiosk.payment.isBill ? qsTr("凭条") : qsTr("回执") })
    readonly property var shown: kiosk.steps.filter(function(s) { return names[s] !== undefined && s !== "submit" })
    readonly property int idx: shown.indexOf(kiosk.step)
    readonly property int count: Math.max(1, shown.length)
    readonly property real even: (width - (count - 1) * spacing) / count
    readonly property real nameWidth: {
        var w = 0
        for (var i = 0; i < shown.length; ++i)
            w = Math.max(w, metrics.advanceWidth(names[shown[i]]))
        return w
    }
    readonly property bool crowded: even < nameWidth + theme.px(3)
    readonly property string currentText: idx < 0 ? "" : names[shown[idx]] + (crowded ? " " + (idx + 1) + "/" + shown.length : "")
    readonly property real currentWidth: crowded && idx >= 0 ? Math.min(width / 2, metrics.advanceWidth(currentText) + theme.px(6)) : even
    readonly property real otherWidth: crowded && idx >= 0 && count > 1
                                       ? (width - currentWidth - (count - 1) * spacing) / (count - 1) : even
    spacing: theme.px(2)
    FontMetrics { id: metrics; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall; font.bold: true }
    Repeater {
        model: root.shown
        Rectangle {
            width: index === root.idx ? root.currentWidth : root.otherWidth
            height: theme.px(theme.elder ? 16 : 13)
            radius: theme.px(2)
            color: index < root.idx ? "#cfe0f7" : (index === root.idx ? theme.primary : "#e6ebf2")
            Text {
                anchors.centerIn: parent
                visible: !root.crowded || index === root.idx
                width: parent.width - theme.px(1.5)
                horizontalAlignment: Text.AlignHCenter
                fontSizeMode: Text.HorizontalFit  // long English names in elder mode shrink instead of overflowing
                minimumPixelSize: theme.fontMin
                elide: Text.ElideRight
                text: index === root.idx ? root.currentText : root.names[modelData]
                font.family: theme.fontFamily
                font.pixelSize: theme.fontSmall
                font.bold: index === root.idx
                color: index === root.idx ? "white" : theme.text
            }
        }
    }
}
