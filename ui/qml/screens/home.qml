import QtQuick
import "../components"

ScreenPage {
    id: home
    showSteps: false
    title: qsTr("您好，请选择要办理的业务")
    prompt: qsTr("全程自助，无需到窗口")
    DeviceAlerts {
        id: alerts
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }
    Grid {
        id: grid
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: alerts.visible ? alerts.bottom : parent.top
        anchors.topMargin: alerts.visible ? theme.gap : 0
        columns: win.landscape ? (theme.elder ? 4 : 3) : (theme.elder ? 1 : 2)  // elder: its 4 tiles in one row
        spacing: theme.gap * 1.5
        readonly property int tile: (parent.width - (columns - 1) * spacing) / columns
        HomeTile {
            objectName: "home.services"
            width: grid.tile
            title: qsTr("我要办事"); subtitle: qsTr("无犯罪记录证明、落户、执照等")
            primary: true
            onClicked: kiosk.openServices()
        }
        HomeTile {
            objectName: "home.status"
            width: grid.tile
            title: qsTr("进度查询"); subtitle: qsTr("扫描回执二维码或输入受理编号")
            onClicked: kiosk.openStatus()
        }
        HomeTile {
            objectName: "home.bills"
            visible: !theme.elder
            width: grid.tile
            title: qsTr("生活缴费"); subtitle: qsTr("水费、电费、燃气费")
            onClicked: kiosk.openBills()
        }
        HomeTile {
            objectName: "home.elder"
            width: grid.tile
            title: kiosk.elder ? qsTr("标准模式") : qsTr("长辈模式")
            subtitle: qsTr("字更大，操作更简单")
            onClicked: kiosk.setElder(!kiosk.elder)
        }
        HomeTile {
            objectName: "home.lang"
            visible: !theme.elder
            width: grid.tile
            title: kiosk.lang === "zh_CN" ? "English" : "中文"
            subtitle: kiosk.lang === "zh_CN" ? "Switch language" : "切换语言"
            onClicked: kiosk.setLang(kiosk.lang === "zh_CN" ? "en_US" : "zh_CN")
        }
        HomeTile {
            objectName: "home.help"
            width: grid.tile
            title: qsTr("呼叫帮助"); subtitle: qsTr("工作人员将前来协助")
            onClicked: kiosk.callHelp()
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
