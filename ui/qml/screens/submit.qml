import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    title: qsTr("正在提交")
    prompt: qsTr("您的申请已安全保存，正在发送到政务服务平台，请稍候")
    BusyIndicator { anchors.centerIn: parent; width: theme.px(54.5); height: theme.px(54.5); running: true }
}
