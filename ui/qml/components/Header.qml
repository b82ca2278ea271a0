import QtQuick

Rectangle {
    id: root
    height: theme.elder ? 150 : 128
    color: theme.header

    Row {
        id: leftRow
        anchors { left: parent.left; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
        spacing: theme.gap
        HeaderButton {
            objectName: "header.home"
            visible: kiosk.step !== "home" && kiosk.step !== "submit"
            text: qsTr("首页")
            onClicked: kiosk.cancel()
        }
        HeaderButton {
            objectName: "header.back"
            visible: ["catalog", "status", "guide", "identify", "form", "materials", "sign", "payment", "delivery", "review"].indexOf(kiosk.step) >= 0
            text: qsTr("返回")
            onClicked: kiosk.back()
        }
    }

    Text {
        anchors { left: leftRow.right; right: rightRow.left; margins: theme.gap; verticalCenter: parent.verticalCenter }
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
        anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
        spacing: theme.gap
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
