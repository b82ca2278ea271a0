import QtQuick
import "../components"

ScreenPage {
    id: root
    // Landscape: title, prompt and the two actions beside the preview, which gets the page's height
    // (stacked, a 15.6" English screen left the preview 20 mm tall, and the notice of a page left there put
    // 拍摄 and 完成拍摄 over the prompt)
    headingBeside: true   // (standard landscape too: on 15.6" the preview had 37 mm)
    sideShare: 0.5   // the long prompt (the material's name) and the two actions one over the other need the room
    title: (scanner ? qsTr("扫描材料（%1/%2）") : qsTr("拍摄材料（%1/%2）"))
           .arg(kiosk.material.index || 0).arg(kiosk.material.count || 0)
    readonly property bool scanner: kiosk.material.scanner === true
    prompt: scanner ? qsTr("请将“%1”放入扫描仪，然后点“扫描”").arg(kiosk.material.name || "")
                    : qsTr("请将“%1”正面朝上平放在高拍仪下方").arg(kiosk.material.name || "")
    property int frame: 0
    // Two buttons side by side in portrait, in English and in elder mode too (删除/重拍 are on each thumbnail).
    readonly property int buttons: 2
    readonly property bool complete: kiosk.material.complete === true
    // The screen moves on by itself once the material is complete (a tap anywhere cancels, to add a page).
    readonly property int autoSeconds: kiosk.autoMove.kind === "next_material" ? (kiosk.autoMove.seconds || 0) : -1
    function completeMessage() {
        if (root.autoSeconds >= 0)
            // The countdown says how to stop it: a tap anywhere cancels (to add a page), so it must be told.
            return kiosk.material.last ? qsTr("本材料已齐，%1 秒后自动进入下一步，点击屏幕可取消").arg(root.autoSeconds)
                                       : qsTr("本材料已齐，%1 秒后自动拍下一项材料，点击屏幕可取消").arg(root.autoSeconds)
        return kiosk.material.last ? qsTr("本材料已齐，可再拍一页，或点“完成拍摄”")
                                   : qsTr("本材料已齐，可再拍一页，或点“下一项”")
    }
    readonly property real buttonWidth: Math.min(theme.buttonWide * 0.7,
                                                 ((root.besideLayout ? root.sideWidth : width)
                                                  - theme.gap * (3 + 2 * (buttons - 1))) / buttons)
    readonly property bool liveGood: ["steadying", "capturing", "done"].indexOf(kiosk.live.state || "") >= 0
    // Something lies there but its edges cannot be found with confidence: 拍摄 takes the whole picture.
    readonly property bool unsure: kiosk.live.problem === "unsure" && !root.scanner
    // A page left there (2061, 2164): the notice under the page says it already. On a short page the live bar
    // gives way to the preview instead of repeating it cut off under a scroll cue (15.6" landscape elder).
    readonly property bool noticeSaysIt: root.short && [2061, 2164].indexOf(kiosk.notice.code || 0) >= 0
    function liveMessage(state, problem) {
        if (state === "steadying") return qsTr("请保持不动，即将自动拍摄")
        if (state === "capturing") return qsTr("正在拍摄…")
        if (root.retakeIndex >= 0 && state !== "capturing") return qsTr("请放好第 %1 页，重新拍摄").arg(root.retakeIndex + 1)
        if (root.complete && state !== "steadying" && state !== "capturing") return root.completeMessage()
        if (state === "done") return qsTr("已拍好，请放下一页")
        if (state === "off" && problem === "") return ""
        switch (problem) {
        case "leftover": return root.noticeSaysIt ? "" : qsTr("高拍仪下有之前留下的材料，请先取走")
        case "leftover_doubt": return root.noticeSaysIt ? "" : qsTr("台面上如有旧材料请取走；如没有，请直接放您的材料")
        case "no_page": return qsTr("请将材料放在高拍仪下方")
        case "unsure": return qsTr("看不清材料的边缘。请把材料放平，或直接按「拍摄」拍下整个画面。")
        case "cut_off": return qsTr("材料超出画面，请移到中间")
        case "too_small": return qsTr("材料太小，请放到画面中间")
        case "moving": return qsTr("请保持不动")
        case "blur": return qsTr("画面模糊，请放平材料")
        case "glare": return qsTr("有反光，请调整材料位置")
        case "retry": return qsTr("未拍清，请按提示调整")
        }
        return ""
    }
    readonly property int retakeIndex: kiosk.material.retake === undefined ? -1 : kiosk.material.retake
    Timer { interval: 200; running: true; repeat: true; onTriggered: root.frame++ }
    // A tap anywhere on the screen stops the automatic move on: the citizen wants to add a page.
    TapHandler { onTapped: kiosk.touch() }
    // Portrait: the preview on top, what to do under it. Landscape (short): two columns, the preview on the
    // left at full height and what to do beside it, so neither is pushed below the fold. With the heading
    // beside (landscape elder) the content is a column of its own: preview on top, what to do under it.
    Item {
        id: area
        anchors.fill: parent
        readonly property bool twoColumns: win.landscape && !root.besideLayout
        Rectangle {
            id: previewBox
            width: area.twoColumns ? area.width * 0.55 : area.width
            height: area.twoColumns ? area.height : area.height - side.height - theme.gap
            color: "#202830"
            radius: theme.radius
            Label {  // a scanner shows nothing until it has scanned: say what to do instead of a black box
                anchors.centerIn: parent
                visible: root.scanner
                width: parent.width * 0.8; horizontalAlignment: Text.AlignHCenter
                text: qsTr("扫描仪已就绪"); color: "white"; size: theme.fontLarge
            }
            Image {
                id: preview
                visible: !root.scanner
                objectName: "materials.preview"
                anchors { fill: parent; margins: 8 }
                fillMode: Image.PreserveAspectFit
                cache: false
                asynchronous: false
                source: "image://preview/" + root.frame
            }
        }
        ScrollColumn {
        id: side
        x: area.twoColumns ? previewBox.width + theme.gap : 0
        y: area.twoColumns ? 0 : previewBox.height + theme.gap
        width: area.twoColumns ? area.width - previewBox.width - theme.gap : area.width
        // Portrait: as tall as what it holds, the preview taking the rest, but never more than leaves the
        // preview a third of the page (15.6" elder English: a long material's name and the page count pushed
        // the preview to a negative height and the live message over the heading); it then scrolls with its
        // cue. Landscape: the page's height, scrolling (with its cue) when elder text does not fit.
        // (beside the heading, at most half: the preview keeps the other half of the page's height)
        height: area.twoColumns ? area.height
                                : Math.min(contentHeight, area.height * (root.besideLayout ? 0.5 : 2 / 3) - theme.gap)
        spacing: theme.gap
        // What the citizen should do now: the page is captured by itself once it lies still and clear.
        Rectangle {
            id: liveBar
            objectName: "materials.liveBar"
            visible: liveText.text !== ""
            width: parent.width
            height: visible ? liveText.implicitHeight + 40 : 0
            radius: theme.radius
            color: root.liveGood || (root.complete && retakeIndex < 0) ? theme.ok : theme.warn
            Rectangle {   // hold-still progress
                anchors { left: parent.left; bottom: parent.bottom; margins: 6 }
                height: 10
                radius: 5
                width: (parent.width - 12) * (kiosk.live.state === "steadying" ? (kiosk.live.progress || 0) : 0)
                color: "#ffffff"
                visible: kiosk.live.state === "steadying"
            }
            Label {
                id: liveText
                objectName: "materials.live"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 20 }
                horizontalAlignment: Text.AlignHCenter
                // (beside the heading on a short page, body size: at the large size the message took three
                // lines of a 15.6" landscape elder screen's column and left the preview 44 mm); so on any short
                // page (15.6" portrait elder: two lines of it left the preview 30 mm and ran under the scroll cue)
                size: root.short ? theme.font : theme.fontLarge
                font.bold: true
                color: "#ffffff"
                text: root.liveMessage(kiosk.live.state || "", kiosk.live.problem || "")
            }
        }
        Card {
            id: info
            width: parent.width
            Column {
                width: parent.width
                spacing: 8
                Label { width: parent.width; text: kiosk.material.note || ""; muted: true; visible: text !== "" }
                Label {
                    width: parent.width
                    font.bold: true
                    text: qsTr("已拍 %1 页").arg(kiosk.material.pages || 0) +
                          (kiosk.material.required && (kiosk.material.minPages || 0) > 0 ? qsTr("，至少需要 %1 页").arg(kiosk.material.minPages) : "")
                }
            }
        }
        // The pages taken, to check (upside down? cut off?) and to retake or delete one by one.
        Flow {
            id: thumbs
            objectName: "materials.thumbs"
            width: parent.width
            spacing: theme.gap / 2
            visible: (kiosk.material.thumbs || []).length > 0
            Repeater {
                model: kiosk.material.thumbs || []
                Card {
                    objectName: "materials.thumb." + modelData.page
                    width: Math.min(thumbs.width, theme.buttonWide * 0.62)
                    Column {
                        width: parent.width
                        spacing: 8
                        Image {
                            objectName: "materials.thumb.image." + modelData.page
                            width: parent.width; height: width * 0.75
                            fillMode: Image.PreserveAspectFit
                            cache: false
                            source: modelData.source
                        }
                        Label {
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            text: qsTr("%1 第 %2 页").arg(kiosk.material.name || "").arg(modelData.page)
                        }
                        // 重拍 and 删除 side by side, or one over the other where half the card is narrower than
                        // either word at the smallest size a button draws it (English "Retake" in elder mode ran
                        // past its button, 200 px of text in 146)
                        Grid {
                            id: pageActions
                            readonly property real full: Math.min(thumbs.width, theme.buttonWide * 0.62)
                            readonly property bool pair: (full - spacing) / 2 - 2 * theme.gap
                                                         >= Math.max(retakeWord.advanceWidth, deleteWord.advanceWidth)
                            columns: pair ? 2 : 1
                            spacing: theme.gap / 2
                            anchors.horizontalCenter: parent.horizontalCenter
                            TextMetrics { id: retakeWord; font.family: theme.fontFamily; font.pixelSize: theme.font
                                          font.bold: true; text: qsTr("重拍") }
                            TextMetrics { id: deleteWord; font.family: theme.fontFamily; font.pixelSize: theme.font
                                          font.bold: true; text: qsTr("删除") }
                            BigButton {
                                objectName: "materials.retake." + modelData.page
                                primary: false
                                implicitWidth: pageActions.pair ? (pageActions.full - pageActions.spacing) / 2 : pageActions.full
                                text: qsTr("重拍")
                                onClicked: kiosk.retakePage(modelData.page - 1)
                            }
                            BigButton {
                                objectName: "materials.delete." + modelData.page
                                primary: false
                                implicitWidth: pageActions.pair ? (pageActions.full - pageActions.spacing) / 2 : pageActions.full
                                text: qsTr("删除")
                                onClicked: kiosk.removePage(modelData.page - 1)
                            }
                        }
                    }
                }
            }
        }
        }
    }
    actions: [
        BigButton {
            objectName: "materials.capture"
            // Emphasised while the preview cannot outline what lies there: the citizen is told to press it.
            readonly property bool emphasised: root.unsure
            primary: emphasised || (kiosk.material.pages || 0) < (kiosk.material.minPages || 1)
            // beside the content the pair shares the side column (the row's shareWidth, BigButton's own rule)
            implicitWidth: root.besideLayout ? Math.min(theme.buttonWide, parent.shareWidth) : root.buttonWidth
            text: root.scanner ? qsTr("扫描") : qsTr("拍摄")
            onClicked: kiosk.capture()
            Rectangle {   // a ring in the live message's colour round the button the message names
                objectName: "materials.capture.emphasis"
                visible: parent.emphasised
                anchors { fill: parent; margins: -(theme.elder ? 10 : 8) }
                radius: parent.radius + (theme.elder ? 10 : 8)
                color: "transparent"
                border.color: theme.warn
                border.width: theme.elder ? 8 : 6
            }
        },
        BigButton {
            objectName: "materials.next"
            primary: !root.unsure && (kiosk.material.pages || 0) >= (kiosk.material.minPages || 1)
            implicitWidth: root.besideLayout ? Math.min(theme.buttonWide, parent.shareWidth) : root.buttonWidth
            text: kiosk.material.last ? qsTr("完成拍摄") : qsTr("下一项")
            onClicked: kiosk.materialDone()
        }
    ]
}
