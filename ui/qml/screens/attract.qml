import QtQuick
import "../components"

// The attract loop: a few slides about what the kiosk does, changing every few seconds; any touch starts.
Rectangle {
    id: root
    gradient: Gradient {
        GradientStop { position: 0.0; color: "#0b4ea2" }
        GradientStop { position: 1.0; color: "#062a5c" }
    }
    readonly property var slides: [
        { "title": qsTr("政务服务 24小时自助终端"), "text": qsTr("不见面审批 · 秒批秒办 · 结果邮寄到家") },
        { "title": qsTr("秒批：提交即出结果"), "text": qsTr("应届毕业生落户、个体户开业等事项，系统自动审核") },
        { "title": qsTr("材料少跑腿"), "text": qsTr("部门已有的电子证照无需再交，纸质材料放在高拍仪下即可") },
        { "title": qsTr("长辈模式"), "text": qsTr("字更大、按钮更大、每一步的操作时间更宽裕，可随时呼叫帮助"), "name": "attract.slide.elder" }
    ]
    property int index: 0
    Timer { interval: 6000; running: true; repeat: true; onTriggered: root.index = (root.index + 1) % root.slides.length }
    // A touch anywhere starts (home: status, bills, elder mode, language); the button goes straight to the
    // services, so starting an application costs no extra tap (issue 17). Declared first: the button is on top.
    MouseArea {
        objectName: "attract.start"
        anchors.fill: parent
        onClicked: kiosk.wake()
    }

    // Landscape: the slides on the left, the button and the hint on the right (a portrait column is taller
    // than a landscape screen). Short screens (15.6" landscape, elder on 15.6" portrait or any landscape) use
    // the body sizes for the slides, still in millimetres and above the minimums (Theme.qml).
    readonly property bool wide: width > height
    readonly property bool compact: height < theme.px(theme.elder ? 400 : 300)
    Grid {
        id: content
        anchors.centerIn: parent
        width: parent.width * (root.wide ? 0.9 : 0.86)
        columns: root.wide ? 2 : 1
        columnSpacing: theme.gap * 2
        rowSpacing: theme.gap * 2
        verticalItemAlignment: Grid.AlignVCenter
        Column {
            width: root.wide ? (content.width - content.columnSpacing) * 0.58 : content.width
            spacing: theme.gap * 2
            Item {
                // All slides are laid out on top of each other and only the current one is shown, so the box
                // is as tall as the longest slide (large type in elder mode wraps more) and nothing jumps.
                width: parent.width
                height: childrenRect.height
                Repeater {
                    model: root.slides
                    Column {
                        width: parent.width
                        spacing: theme.gap
                        opacity: index === root.index ? 1 : 0
                        Text {
                            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
                            text: modelData.title; color: "white"
                            font.family: theme.fontFamily; font.pixelSize: theme.fontTitle * (root.compact ? 1 : 1.2); font.bold: true
                        }
                        Text {
                            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
                            objectName: modelData.name || ""
                            text: modelData.text; color: "#dce7f7"
                            font.family: theme.fontFamily; font.pixelSize: root.compact ? theme.font : theme.fontLarge
                        }
                    }
                }
            }
            Row {
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: theme.px(4)
                Repeater {
                    model: root.slides.length
                    Rectangle { width: theme.px(4.5); height: theme.px(4.5); radius: width / 2; color: index === root.index ? "#f5b700" : "#55ffffff" }
                }
            }
        }
        Column {
            width: root.wide ? (content.width - content.columnSpacing) * 0.42 : content.width
            spacing: theme.gap * 2
            Rectangle {
                objectName: "attract.services"
                anchors.horizontalCenter: parent.horizontalCenter
                width: parent.width * (root.wide ? 1 : 0.7); height: theme.button * 1.3; radius: height / 2
                color: "#f5b700"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("我要办事")
                MouseArea { anchors.fill: parent; onClicked: kiosk.openServices() }
                Text {
                    anchors.centerIn: parent
                    width: parent.width - parent.height * 0.6
                    horizontalAlignment: Text.AlignHCenter
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: theme.font
                    text: qsTr("我要办事"); color: "#1d2733"
                    font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; font.bold: true
                }
                // One breath every 6 s (to 0.55 and back over 1.4 s), still between breaths, drawn at 20 frames
                // a second: every frame of it is repainted in software (~1 ms of the GUI thread and Qt's raster
                // threads), and the idle attract loop must stay under 5 % of a core (issue 22). A pulse without
                // pause cost ~5 points; a NumberAnimation breath, drawn at the display's 60 Hz, 1.5 points.
                id: servicesButton
                property int breathStep: -1  // -1: still; 0 .. breathSteps: where the breath is
                readonly property int breathSteps: 28
                opacity: breathStep < 0 ? 1 : 1 - 0.45 * Math.sin(Math.PI * breathStep / breathSteps)
                Timer {
                    objectName: "attract.breathTick"
                    id: breathTick
                    interval: 50; repeat: true
                    onTriggered: {
                        if (servicesButton.breathStep >= servicesButton.breathSteps) {
                            servicesButton.breathStep = -1
                            stop()  // no timer ticks between breaths: nothing changes then
                        } else {
                            servicesButton.breathStep += 1
                        }
                    }
                }
                Timer {
                    objectName: "attract.breathEvery"
                    interval: 6000; running: true; repeat: true; triggeredOnStart: true
                    onTriggered: { servicesButton.breathStep = 0; breathTick.start() }
                }
            }
            Text {
                width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
                text: qsTr("请准备好您的居民身份证。进度查询、缴费、长辈模式：点击屏幕其他位置"); color: "#dce7f7"
                font.family: theme.fontFamily; font.pixelSize: theme.font
            }
        }
    }
}
