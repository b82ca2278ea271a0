import QtQuick
import "../components"

ScreenPage {
    id: root
    // Landscape: title, prompt and the actions beside the pad, which gets the page's height (stacked, a
    // 15.6" English screen left a pad 11 mm tall to sign in)
    headingBeside: true   // (standard landscape too: on 15.6" the pad was 12 mm tall)
    sideShare: 0.5   // its long prompt and the two actions one over the other need the room
    title: qsTr("请签名")
    prompt: qsTr("用手指在白色区域内写下您的姓名，签名代表您确认所填信息真实")
    property var strokes: []
    property var current: []
    Rectangle {
        id: pad
        objectName: "sign.pad"
        anchors.fill: parent
        color: "white"
        radius: theme.radius
        border.color: theme.primary
        border.width: 4
        Text {
            anchors.centerIn: parent
            visible: root.strokes.length === 0 && root.current.length === 0
            text: qsTr("在此处签名")
            color: theme.textMuted  // an instruction, not decoration: it must be readable (was 1.69:1)
            font.family: theme.fontFamily
            font.pixelSize: theme.fontTitle
        }
        Canvas {
            id: canvas
            anchors.fill: parent
            onPaint: {
                var ctx = getContext("2d")
                ctx.clearRect(0, 0, width, height)
                ctx.lineWidth = 6; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111"
                var all = root.strokes.concat([root.current])
                for (var s = 0; s < all.length; s++) {
                    var st = all[s]
                    if (st.length < 1) continue
                    ctx.beginPath(); ctx.moveTo(st[0][0], st[0][1])
                    for (var i = 1; i < st.length; i++) ctx.lineTo(st[i][0], st[i][1])
                    ctx.stroke()
                }
            }
        }
        MouseArea {
            anchors.fill: parent
            onPressed: function(m) { root.current = [[m.x, m.y]]; kiosk.touch() }
            onPositionChanged: function(m) { var c = root.current; c.push([m.x, m.y]); root.current = c; canvas.requestPaint() }
            onReleased: { var s = root.strokes; s.push(root.current); root.strokes = s; root.current = []; canvas.requestPaint() }
        }
    }
    actions: [
        BigButton { objectName: "sign.clear"; primary: false; implicitWidth: Math.min(theme.buttonWide * 0.7, parent ? parent.shareWidth : theme.buttonWide); text: qsTr("重写")
                    onClicked: { root.strokes = []; root.current = []; canvas.requestPaint() } },
        BigButton { objectName: "sign.done"; implicitWidth: Math.min(theme.buttonWide * 0.8, parent ? parent.shareWidth : theme.buttonWide); text: qsTr("确认签名")
                    onClicked: kiosk.sign(root.strokes, pad.width, pad.height) }
    ]
}
