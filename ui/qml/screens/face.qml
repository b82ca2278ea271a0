import QtQuick
import "../components"

// 人证核验 (issue 19): consent first (PIPL: a separate consent to biometric processing, saying what is kept),
// then the live face in an oval guide with the current instruction (the voice says the same sentence), a
// failed try's way on, and the counter referral for anyone who declines or does not pass.
ScreenPage {
    id: root
    objectName: "face.page"
    readonly property string phase: face.phase
    readonly property bool live: face.live
    title: phase === "consent" ? qsTr("人脸识别授权")
         : phase === "referral" ? qsTr("请到人工窗口办理")
         : phase === "failed" ? qsTr("人脸核验未通过")
         : phase === "passed" ? qsTr("人脸核验通过")
         : qsTr("人脸核验")
    prompt: phase === "consent" ? qsTr("本事项需要确认是您本人办理")
          : phase === "referral" ? qsTr("本次未提交任何申请。请持身份证到政务服务中心人工窗口办理，或点屏幕上方的“求助”")
          : phase === "failed" ? (face.triesLeft > 0 ? qsTr("还可以再试 %1 次").arg(face.triesLeft) : "")
          : phase === "passed" ? "" : qsTr("请按下方提示操作，合格的画面会自动拍下")
    // Landscape: the heading and the buttons beside the preview, so the preview has the page's height
    headingBeside: true
    stackActionsBeside: false   // consent: 同意 and 不同意 side by side, neither above the other
    property int frame: 0
    Timer { interval: 100; running: root.live; repeat: true; onTriggered: root.frame++ }

    ScrollColumn {
        id: consentText
        objectName: "face.consent"
        visible: root.phase === "consent"
        anchors.fill: parent
        spacing: theme.gap
        Card {
            width: consentText.width
            Column {
                width: parent.width
                spacing: theme.px(2.5)
                Label { width: parent.width; font.bold: true; text: qsTr("人脸识别（生物识别信息）处理授权") }
                Label { width: parent.width; text: qsTr("• 用途：将您现场的人脸与身份证照片比对，并检测是否为真人（眨眼、转头），确认是本人办理") }
                Label { width: parent.width; objectName: "face.consent.kept"
                        text: qsTr("• 保留：只保留比对分数和核验结论，随申请加密提交并记入审计记录；不保存、不上传您的人脸照片或视频") }
                Label { width: parent.width; text: qsTr("• 人脸画面只用于本次核验，不写入本机存储，核验结束即丢弃") }
                Label { width: parent.width; text: qsTr("• 您可以不同意：不同意将不能在本机办理，请到人工窗口办理，不影响您的权利") }
            }
        }
    }

    Item {
        id: stage
        visible: root.live
        anchors.fill: parent
        readonly property real side: Math.min(width, height - tip.height - theme.gap)
        Rectangle {
            id: box
            objectName: "face.preview"
            anchors { top: parent.top; horizontalCenter: parent.horizontalCenter }
            width: stage.side; height: stage.side
            color: "#202020"; radius: theme.px(3); clip: true
            Image {
                anchors.fill: parent
                fillMode: Image.PreserveAspectCrop
                cache: false
                source: root.live ? "image://face/" + root.frame : ""
            }
            // The oval guide: the face goes inside it; the world around it is dimmed
            Canvas {
                id: oval
                objectName: "face.oval"
                anchors.fill: parent
                readonly property string tint: face.phase === "challenge" || face.phase === "checking" ? "#3cc85a" : "#ffffff"
                onTintChanged: requestPaint()
                onWidthChanged: requestPaint()
                onHeightChanged: requestPaint()
                onPaint: {
                    var c = getContext("2d")
                    c.reset()
                    var w = width * 0.58, h = height * 0.78
                    c.fillStyle = "rgba(0, 0, 0, 0.45)"
                    c.fillRule = Qt.OddEvenFill  // the frame around the oval, not the oval itself
                    c.beginPath(); c.rect(0, 0, width, height); c.ellipse((width - w) / 2, (height - h) / 2, w, h)
                    c.fill()
                    c.lineWidth = theme.px(1.2)
                    c.strokeStyle = tint
                    c.beginPath(); c.ellipse((width - w) / 2, (height - h) / 2, w, h); c.stroke()
                }
            }
        }
        Label {
            id: tip
            objectName: "face.instruction"
            anchors { top: box.bottom; topMargin: theme.gap; left: parent.left; right: parent.right }
            horizontalAlignment: Text.AlignHCenter
            size: theme.fontTitle
            font.bold: true
            text: face.instruction
        }
    }

    Card {
        objectName: "face.outcome"
        // (why it failed is in the notice bar, as it is said; this says what became of the face)
        visible: root.phase === "referral" || root.phase === "passed"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        Label { width: parent.width
                text: qsTr("未保存您的人脸照片或视频，只记录了比对分数和核验结论。") }
    }

    actions: [
        BigButton { objectName: "face.decline"; visible: root.phase === "consent"; primary: false
                    text: qsTr("不同意"); onClicked: face.consent(false) },
        BigButton { objectName: "face.agree"; visible: root.phase === "consent"
                    text: qsTr("同意并开始"); onClicked: face.consent(true) },
        BigButton { objectName: "face.counter"; visible: root.phase === "failed"; primary: false
                    text: qsTr("去人工窗口"); onClicked: face.toCounter() },
        BigButton { objectName: "face.retry"; visible: root.phase === "failed" && face.triesLeft > 0
                    text: qsTr("再试一次"); onClicked: face.retry() },
        BigButton { objectName: "face.next"; visible: root.phase === "passed"
                    text: qsTr("下一步"); onClicked: face.proceed() },
        BigButton { objectName: "face.done"; visible: root.phase === "referral"
                    text: qsTr("完成"); onClicked: kiosk.cancel() }
    ]
}
