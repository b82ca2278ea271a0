import QtQuick
import "../components"

// 我的办件 (issue 18): lay the ID card; the card holder's applications from the platform, newest first;
// tap one for its timeline (返回: back to the list). Offline: the list needs the network, said here.
ScreenPage {
    id: root
    showSteps: false
    readonly property var m: kiosk.mine
    readonly property string state_: m.state || "card"
    readonly property var d: m.detail || ({})
    title: state_ === "detail" ? (d.item || "")
           : (state_ === "list" && m.holder ? qsTr("%1 的办件").arg(m.holder) : qsTr("我的办件"))
    prompt: state_ === "card" ? qsTr("请将身份证放在感应区，查看您在各自助终端提交的办件")
            : state_ === "list" && m.total > 0 ? qsTr("共 %1 件，最新的在最上面；点一件查看办理进度").arg(m.total)
            : state_ === "detail" ? qsTr("受理编号：%1").arg(d.reference || "") : ""

    // ----- the card --------------------------------------------------------------------------------------
    Item {
        objectName: "mine.card"
        visible: root.state_ === "card" || root.state_ === "loading"
        anchors.fill: parent
        readonly property real k: Math.max(0.1, Math.min(1, (height - theme.gap * 2) / (theme.px(67) + theme.px(49.5))))
        Rectangle {
            id: reader
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: theme.gap * 2 }
            width: theme.px(154) * parent.k; height: theme.px(49.5) * parent.k; radius: theme.px(6) * parent.k
            color: "#2b3a4f"
        }
        Rectangle {
            width: theme.px(106) * parent.k; height: theme.px(67) * parent.k; radius: theme.px(5.5) * parent.k
            anchors { horizontalCenter: parent.horizontalCenter; bottom: reader.top; bottomMargin: -height * 0.4 }
            color: "#bcdcf8"; border.color: "#5b8fc7"; border.width: 3
            Text { anchors.centerIn: parent; visible: parent.height >= height * 1.5 && parent.width >= width * 1.2
                   text: qsTr("居民身份证"); font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; color: "#1f4e85"; font.bold: true }
        }
    }

    // ----- offline, or the list ---------------------------------------------------------------------------
    Card {
        objectName: "mine.offline"
        visible: root.state_ === "offline"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        Column {
            width: parent.width
            spacing: theme.px(2.5)
            Label { objectName: "mine.offline.text"; width: parent.width; text: root.m.offline ? root.m.offline.text : ""; color: theme.warn }
            Label { text: qsTr("代码 %1").arg(root.m.offline ? root.m.offline.code : ""); muted: true; size: theme.fontSmall }
        }
    }
    Label {
        objectName: "mine.empty"
        visible: root.state_ === "list" && root.m.items.length === 0
        width: parent.width
        text: root.m.empty || ""
    }
    ScrollColumn {
        id: list
        objectName: "mine.list"
        visible: root.state_ === "list" && root.m.items.length > 0
        anchors.fill: parent
        spacing: theme.gap
        Repeater {
            model: root.state_ === "list" ? root.m.items : []
            Rectangle {
                objectName: "mine.item." + modelData.reference
                width: list.width
                height: col.implicitHeight + 2 * theme.gap
                radius: theme.radius
                color: area.pressed ? "#e3e9f2" : theme.surface
                border.color: theme.border
                border.width: theme.elder ? 3 : 1
                Column {
                    id: col
                    anchors { left: parent.left; right: tag.left; verticalCenter: parent.verticalCenter; margins: theme.gap }
                    spacing: theme.px(2)
                    Label { width: parent.width; text: modelData.item; size: theme.fontLarge * 0.85; font.bold: true }
                    Label { width: parent.width; text: modelData.reference + " · " + modelData.date; muted: true; size: theme.fontSmall }
                }
                Tag {
                    id: tag
                    objectName: "mine.item." + modelData.reference + ".status"
                    anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
                    text: modelData.statusText
                    fill: modelData.tone === "ok" ? theme.ok : modelData.tone === "warn" ? theme.warn : theme.primary
                }
                MouseArea { id: area; anchors.fill: parent; onClicked: kiosk.mineShow(modelData.reference) }
            }
        }
        Item { width: 1; height: theme.gap; visible: root.m.more }
        BigButton {
            objectName: "mine.more"
            visible: root.m.more === true
            anchors.horizontalCenter: parent.horizontalCenter
            primary: false
            implicitWidth: theme.buttonWide * 0.6
            text: qsTr("更多")
            onClicked: kiosk.mineMore()
        }
    }

    // ----- one application ---------------------------------------------------------------------------------
    ScrollColumn {
        objectName: "mine.detail"
        visible: root.state_ === "detail"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: resultLine.top
                  bottomMargin: resultLine.visible ? theme.gap / 2 : 0 }
        spacing: theme.gap
        Card {
            width: parent.width
            Column {
                width: parent.width
                spacing: theme.px(3.5)
                Label { objectName: "mine.detail.state"; text: root.d.statusText || ""; size: theme.fontLarge; color: theme.primary; font.bold: true }
                Label { visible: (root.d.waybillNo || "") !== ""; width: parent.width; muted: true
                        text: qsTr("运单号：%1").arg(root.d.waybillNo || "") }
                Repeater {
                    model: root.d.timeline || []
                    Row {
                        objectName: "mine.detail.step" + index
                        width: parent.width
                        spacing: theme.gap
                        Rectangle { width: theme.px(4.5); height: theme.px(4.5); radius: width / 2; anchors.verticalCenter: parent.verticalCenter
                                    color: index === (root.d.timeline.length - 1) ? theme.primary : theme.ok }
                        Label { id: when; text: modelData.at; muted: true; size: theme.fontSmall }
                        Label { width: parent.width - when.width - theme.px(4.5) - 2 * theme.gap; text: modelData.text }
                    }
                }
                Repeater {
                    model: root.d.reasons || []
                    Label { width: parent.width; text: "• " + modelData; color: theme.warn }
                }
            }
        }
    }
    // The result document's print, pinned under the timeline so the citizen who tapped 打印 sees it
    ResultLine {
        id: resultLine
        objectName: "mine.result"
        visible: root.state_ === "detail" && text !== ""
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        result: root.d.result || ({})
    }

    // 打印结果文书: an issued result, on this kiosk's A4 printer (again after a fault)
    readonly property var rp: d.result || ({})
    actions: [
        BigButton {
            objectName: "mine.print"
            visible: root.state_ === "detail" && !!root.d.canPrint && root.rp.state !== "fetching" && root.rp.state !== "printing"
            implicitWidth: theme.buttonWide
            text: root.rp.state === "failed" || root.rp.state === "not_issued" ? qsTr("重新打印")
                  : root.rp.state === "printed" ? qsTr("再打印一份") : qsTr("打印结果文书")
            onClicked: kiosk.minePrint()
        }
    ]
}
