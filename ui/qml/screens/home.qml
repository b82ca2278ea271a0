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
    OfflineNotice {
        id: offline
        anchors { left: parent.left; right: parent.right; top: alerts.visible ? alerts.bottom : parent.top
                  topMargin: alerts.visible ? theme.gap : 0 }
    }
    // What is said above the tiles (device alerts, the offline notice) takes its room first.
    readonly property real bannersHeight: (alerts.visible ? alerts.height + theme.gap : 0)
                                          + (offline.visible ? offline.height + theme.gap : 0)
    // On a short page (a 15.6" landscape screen in elder mode) the greeting gives way to them: with it, the
    // offline notice left two rows of tiles 26 px of height, their titles cut (tests/ui/test_ui_notice_room.py)
    headingShown: !(short && (bannersHeight > 0 || noticeBar.visible))
    Grid {
        id: grid
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: home.bannersHeight
        // Every function in every mode (an elder needs bills, language and help too): seven tiles, in rows
        // that fit the height left under the heading. Four across in landscape keeps two rows; portrait has
        // four, set closer in elder mode (6 mm, still more than 5 mm apart) so its tiles stay bigger than the
        // standard ones.
        columns: win.landscape ? 4 : 2
        spacing: theme.elder ? theme.px(6) : theme.gap * 1.5
        readonly property int rows: Math.ceil(7 / columns)
        readonly property int tile: (parent.width - (columns - 1) * spacing) / columns
        readonly property int tileHeight: Math.min(theme.px(theme.elder ? 85 : 75),
            (parent.height - home.bannersHeight - (rows - 1) * spacing) / rows)
        HomeTile {
            objectName: "home.services"
            width: grid.tile; height: grid.tileHeight
            title: qsTr("我要办事"); subtitle: qsTr("无犯罪记录证明、落户、执照等")
            primary: true
            onClicked: kiosk.openServices()
        }
        HomeTile {
            objectName: "home.status"
            width: grid.tile; height: grid.tileHeight
            title: qsTr("进度查询"); subtitle: qsTr("扫描回执二维码或输入受理编号")
            onClicked: kiosk.openStatus()
        }
        HomeTile {  // 我的办件 (issue 18): the card holder's applications from every kiosk
            objectName: "home.mine"
            width: grid.tile; height: grid.tileHeight
            title: qsTr("我的办件"); subtitle: qsTr("刷身份证查看我的全部办件")
            onClicked: kiosk.openMine()
        }
        HomeTile {
            objectName: "home.bills"
            width: grid.tile; height: grid.tileHeight
            title: qsTr("生活缴费"); subtitle: qsTr("水费、电费、燃气费")
            onClicked: kiosk.openBills()
        }
        HomeTile {
            objectName: "home.elder"
            width: grid.tile; height: grid.tileHeight
            title: kiosk.elder ? qsTr("标准模式") : qsTr("长辈模式")
            subtitle: kiosk.elder ? qsTr("恢复标准字号") : qsTr("字更大，操作更简单")
            onClicked: kiosk.setElder(!kiosk.elder)
        }
        HomeTile {
            objectName: "home.lang"
            width: grid.tile; height: grid.tileHeight
            title: kiosk.lang === "zh_CN" ? "English" : "中文"
            subtitle: kiosk.lang === "zh_CN" ? "Switch language" : "切换语言"
            onClicked: kiosk.setLang(kiosk.lang === "zh_CN" ? "en_US" : "zh_CN")
        }
        HomeTile {
            objectName: "home.help"
            width: grid.tile; height: grid.tileHeight
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
