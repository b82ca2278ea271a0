import QtQuick
import "../components"

ScreenPage {
    // Landscape elder: title, prompt and the actions beside the receipt's picture, which gets the page's height
    // (stacked, a 15.6" English screen showed 30 mm of it)
    headingBeside: theme.elder
    id: page
    readonly property var o: kiosk.outcome
    // Demo mode: the simulated printer's paper, rendered from the ESC/POS it received (image://receipt).
    readonly property bool showPaper: kiosk.demo && o.printed
    readonly property var bill: kiosk.payment  // a bill's slip (缴费凭条), not an application's receipt
    title: bill.isBill ? (o.printed ? qsTr("缴费成功，请取走缴费凭条") : (o.printError ? qsTr("缴费成功，凭条未能打印")
                                                                                 : qsTr("缴费成功，正在打印凭条")))
         : o.printed ? qsTr("请取走回执") : (o.printError ? qsTr("回执未能打印") : qsTr("正在打印回执"))
    prompt: bill.isBill ? (o.printed ? qsTr("缴费凭条在屏幕下方出纸口，账单已销账")
                                     : qsTr("账单已销账，交易流水号 %1").arg(bill.transactionId))
          : o.printed ? qsTr("回执在屏幕下方出纸口，扫描回执上的二维码可查询办理进度")
                      : (o.printError ? qsTr("您的申请已保存，可凭编号 %1 查询").arg(o.reference || o.localNumber)
                                      : qsTr("请稍候……"))
    Flickable {
        id: paperView
        objectName: "receipt.paper"
        visible: page.showPaper
        anchors { top: parent.top; bottom: a4Line.top; horizontalCenter: parent.horizontalCenter
                  bottomMargin: a4Line.visible || resultLine.visible ? theme.gap / 2 : 0 }
        width: Math.min(parent.width, paper.width + theme.px(6))
        contentWidth: width; contentHeight: paper.height + theme.px(6)
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        Rectangle {  // the paper's shadow
            x: paper.x + 6; y: paper.y + 6; width: paper.width; height: paper.height; color: "#22000000"
        }
        Image {
            id: paper
            objectName: "receipt.image"
            x: theme.px(3); y: theme.px(3)
            // One receipt dot per pixel: the 80 mm paper 608 px wide, as legible as the paper, QR scannable.
            width: Math.min(paperView.parent.width - theme.px(6), sourceSize.width)
            fillMode: Image.PreserveAspectFit
            smooth: false
            cache: false
            asynchronous: true  // drawn from the ESC/POS on Qt's image thread: the screen shows at once
            readonly property bool drawing: status === Image.Loading
            readonly property bool drawn: status === Image.Ready
            source: page.showPaper ? "image://receipt/" + (o.reference || o.localNumber || page.bill.transactionId) : ""
        }
    }
    // A 秒批 approval's result document on the A4 printer (issue 18): printing, printed, or where to get it.
    ResultLine {
        id: resultLine
        objectName: "receipt.result"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        result: page.o.result || ({})
    }
    // The receipt on A4 when the citizen asked for it (issue 18)
    ResultLine {
        id: a4Line
        objectName: "receipt.a4"
        anchors { left: parent.left; right: parent.right; bottom: resultLine.top
                  bottomMargin: resultLine.visible && visible ? theme.gap / 2 : 0 }
        result: page.o.a4Receipt || ({})
    }
    Rectangle {
        visible: !page.showPaper
        anchors { horizontalCenter: parent.horizontalCenter; verticalCenter: parent.verticalCenter
                  verticalCenterOffset: -((resultLine.visible ? resultLine.height : 0) + (a4Line.visible ? a4Line.height : 0)) / 2 }
        width: theme.px(89.5); height: theme.px(114); radius: theme.px(3)
        color: "white"; border.color: theme.border; border.width: 2
        Column {
            anchors.centerIn: parent
            spacing: theme.px(4.5)
            Repeater { model: 6; Rectangle { width: theme.px(64.5) - (index % 3) * theme.px(10); height: theme.px(3.5); radius: height / 2; color: "#d5dce6" } }
            Rectangle { anchors.horizontalCenter: parent.horizontalCenter; width: theme.px(34.5); height: theme.px(34.5); color: "#1d2733" }
        }
    }
    actions: [
        BigButton { objectName: "receipt.retry"; visible: !o.printed && o.printError > 0; primary: false
                    implicitWidth: Math.min(theme.buttonWide * 0.8, parent ? parent.shareWidth : theme.buttonWide)
                    text: qsTr("重新打印"); onClicked: kiosk.printAgain() },
        BigButton { objectName: "receipt.printA4"; primary: false
                    implicitWidth: Math.min(theme.buttonWide * 0.8, parent ? parent.shareWidth : theme.buttonWide)
                    visible: !page.bill.isBill && !!(o.a4Receipt || {}).can && (o.printed || o.printError > 0)
                    text: qsTr("A4 打印回执"); onClicked: kiosk.printReceiptA4() },
        BigButton { objectName: "receipt.done"; onClicked: kiosk.finish()
                    text: kiosk.autoMove.kind === "finish" ? qsTr("完成（%1 秒）").arg(kiosk.autoMove.seconds || 0)
                                                           : qsTr("完成") }
    ]
}
