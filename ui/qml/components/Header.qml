import QtQuick

Rectangle {
    id: root
    readonly property int band: theme.elder ? 150 : 128
    // With large type and long English labels the buttons can leave the title no room: it then gets a line
    // of its own under them instead of vanishing.
    readonly property bool stacked: title.implicitWidth * 0.65 > rightRow.x - (leftRow.x + leftRow.width) - 2 * theme.gap
    height: stacked ? band + title.height + theme.gap : band
    color: theme.header
    // 首页 while an application is being filled in: the page asks before discarding (Main's ConfirmDialog).
    readonly property var filling: ["identify", "form", "materials", "sign", "payment", "delivery", "review"]
    signal homeRequested()

    Row {
        id: leftRow
        anchors { left: parent.left; leftMargin: theme.gap }
        y: (root.band - height) / 2
        spacing: theme.gap
        HeaderButton {
            objectName: "header.home"
            visible: kiosk.step !== "home" && kiosk.step !== "submit"
            text: qsTr("首页")
            onClicked: root.filling.indexOf(kiosk.step) >= 0 ? root.homeRequested() : kiosk.cancel()
        }
        HeaderButton {
            objectName: "header.back"
            visible: ["catalog", "status", "guide", "identify", "form", "materials", "sign", "payment", "delivery", "review"].indexOf(kiosk.step) >= 0
            text: qsTr("返回")
            onClicked: kiosk.back()
        }
    }

    Text {
        id: title
        objectName: "header.title"
        x: root.stacked ? theme.gap : leftRow.x + leftRow.width + theme.gap
        width: root.stacked ? root.width - 2 * theme.gap : rightRow.x - theme.gap - x
        y: root.stacked ? root.band - theme.gap / 2 : (root.band - height) / 2
        horizontalAlignment: Text.AlignHCenter
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: theme.fontSmall
        elide: Text.ElideRight
        text: kiosk.guide.name && kiosk.step !== "home" && kiosk.step !== "catalog" ? kiosk.guide.name : qsTr("政务服务自助终端")
        color: "white"
        font.family: theme.fontFamily
        font.pixelSize: theme.fontLarge * 0.9
        font.bold: true
    }

    Row {
        id: rightRow
        anchors { right: parent.right; rightMargin: theme.gap }
        y: (root.band - height) / 2
        spacing: theme.gap
        HeaderButton {
            // 呼叫帮助 on every screen (the elder slide promises help at any time)
            objectName: "header.help"
            visible: kiosk.step !== "home"  // home has its own, larger tile
            text: qsTr("求助")  // short: the header keeps the title on its line (elder, English, landscape)
            onClicked: kiosk.callHelp()
        }
        HeaderButton {
            objectName: "header.lang"
            text: kiosk.lang === "zh_CN" ? "English" : "中文"
            onClicked: kiosk.setLang(kiosk.lang === "zh_CN" ? "en_US" : "zh_CN")
        }
        HeaderButton {
            objectName: "header.elder"
            text: kiosk.elder ? qsTr("标准模式") : qsTr("长辈模式")
            highlighted: !kiosk.elder
            onClicked: kiosk.setElder(!kiosk.elder)
        }
    }
}
