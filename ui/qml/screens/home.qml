import QtQuick
import "../components"

ScreenPage {
    id: home
    showSteps: false
    title: qsTr("您好，请选择要办理的业务")
    prompt: qsTr("全程自助，无需到窗口")
    Grid {
        anchors.horizontalCenter: parent.horizontalCenter
        columns: win.landscape ? 3 : 2
        spacing: theme.gap * 1.5
        readonly property int tile: (parent.width - (columns - 1) * spacing) / columns
        HomeTile {
            objectName: "home.services"
            width: parent.tile
            title: qsTr("我要办事"); subtitle: qsTr("无犯罪记录证明、落户、执照等")
            primary: true
            onClicked: kiosk.openCatalog()
        }
        HomeTile {
            objectName: "home.elder"
            width: parent.tile
            title: kiosk.elder ? qsTr("标准模式") : qsTr("长辈模式")
            subtitle: qsTr("字更大，操作更简单")
            onClicked: kiosk.setElder(!kiosk.elder)
        }
        HomeTile {
            objectName: "home.lang"
            width: parent.tile
            title: kiosk.lang === "zh_CN" ? "English" : "中文"
            subtitle: kiosk.lang === "zh_CN" ? "Switch language" : "切换语言"
            onClicked: kiosk.setLang(kiosk.lang === "zh_CN" ? "en_US" : "zh_CN")
        }
    }

    MouseArea {  // hidden: maint.gestureTaps taps in this corner within the window open the technicians' PIN pad
        objectName: "home.maintenanceCorner"
        parent: home
        anchors { top: parent.top; right: parent.right }
        width: 160; height: 160; z: 10
        property var taps: []
        onClicked: {
            var now = Date.now()
            taps = taps.filter(function(t) { return now - t < maint.gestureWindowMs }).concat([now])
            if (taps.length >= maint.gestureTaps) { taps = []; maint.requestEntry() }
        }
    }
}
