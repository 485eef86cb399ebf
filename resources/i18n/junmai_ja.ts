<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Junmai Batch</source>
        <translation>Junmai Batch について</translation>
    </message>
    <message>
        <source>Develops hundreds to tens of thousands of photos with a preset, and keeps you in control.</source>
        <translation>数百から数万枚の写真をプリセットで現像し、その進み具合を思いどおりに管理できます。</translation>
    </message>
</context>
<context>
    <name>AddWatchDialog</name>
    <message>
        <source>Watch a folder</source>
        <translation>フォルダーを監視</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Named after the folder</source>
        <translation>フォルダー名を使う</translation>
    </message>
    <message>
        <source>Template “{name}”</source>
        <translation>テンプレート「{name}」</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Develop with</source>
        <translation>現像設定</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>監視する</translation>
    </message>
    <message>
        <source>Folder to watch</source>
        <translation>監視するフォルダー</translation>
    </message>
</context>
<context>
    <name>AfterBatchEditor</name>
    <message>
        <source>Open the output folder</source>
        <translation>書き出し先フォルダーを開く</translation>
    </message>
    <message>
        <source>Copy the outputs to</source>
        <translation>書き出したファイルのコピー先</translation>
    </message>
    <message>
        <source>A backup folder</source>
        <translation>バックアップ用フォルダー</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Run a command</source>
        <translation>コマンドを実行</translation>
    </message>
    <message>
        <source>e.g. upload-photos --album Wedding</source>
        <translation>例: upload-photos --album Wedding</translation>
    </message>
    <message>
        <source>The command runs in the output folder, without a shell, and gets the batch&apos;s result (every photo with its outputs or its error) as JSON on its standard input. A failing action is reported on the batch; it never fails it.</source>
        <translation>コマンドは書き出し先フォルダーでシェルを介さずに実行され、バッチの結果（各写真の書き出しファイルまたはエラー）を JSON として標準入力から受け取ります。処理が失敗してもバッチに報告されるだけで、バッチが失敗になることはありません。</translation>
    </message>
    <message>
        <source>The command cannot be read: {reason}</source>
        <translation>コマンドを読み取れません: {reason}</translation>
    </message>
    <message>
        <source>Type the command to run after the batch, or untick it</source>
        <translation>バッチ後に実行するコマンドを入力するか、チェックを外してください</translation>
    </message>
    <message numerus="yes">
        <source>%n more action(s) of the template are kept as they are.</source>
        <translation>
            <numerusform>テンプレートのほかの処理 %n 件はそのまま残します。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApiSupervisor</name>
    <message>
        <source>API off</source>
        <translation>API オフ</translation>
    </message>
    <message>
        <source>API not running: its token could not be read</source>
        <translation>API 停止中: トークンを読み込めませんでした</translation>
    </message>
    <message>
        <source>API not running: port {port} is taken</source>
        <translation>API 停止中: ポート {port} は使用中です</translation>
    </message>
    <message>
        <source>API: {url}</source>
        <translation>API: {url}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Junmai Batch already runs for the data folder {folder}, but it did not answer.</source>
        <translation>Junmai Batch はデータフォルダー {folder} ですでに起動していますが、応答がありませんでした。</translation>
    </message>
    <message>
        <source>--workers 0 develops on a render farm only: give --farm URL.</source>
        <translation>--workers 0 ではレンダーファームだけで現像します。--farm URL を指定してください。</translation>
    </message>
    <message>
        <source>The batch database {database} is damaged and could not be read. It was set aside as {kept} in {folder} (nothing was deleted), and Junmai Batch starts with an empty list of batches.</source>
        <translation>バッチのデータベース {database} が破損していて読み込めませんでした。{folder} に {kept} として退避しました（何も削除していません）。Junmai Batch は空のバッチ一覧で起動します。</translation>
    </message>
    <message>
        <source>Junmai Batch</source>
        <translation>Junmai Batch</translation>
    </message>
</context>
<context>
    <name>BatchActions</name>
    <message>
        <source>&amp;New batch…</source>
        <translation>新規バッチ(&amp;N)…</translation>
    </message>
    <message>
        <source>Develop a new set of photos with a preset</source>
        <translation>新しい写真のまとまりをプリセットで現像します</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>Pause the selected batches</source>
        <translation>選択したバッチを一時停止します</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>再開(&amp;R)</translation>
    </message>
    <message>
        <source>Resume (or start) the selected batches</source>
        <translation>選択したバッチを再開（または開始）します</translation>
    </message>
    <message>
        <source>&amp;Cancel…</source>
        <translation>キャンセル(&amp;C)…</translation>
    </message>
    <message>
        <source>Cancel the selected batches</source>
        <translation>選択したバッチをキャンセルします</translation>
    </message>
    <message>
        <source>Retry &amp;failed</source>
        <translation>失敗分を再試行(&amp;F)</translation>
    </message>
    <message>
        <source>Develop the failed photos again</source>
        <translation>失敗した写真をもう一度現像します</translation>
    </message>
    <message>
        <source>Priority &amp;up</source>
        <translation>優先度を上げる(&amp;U)</translation>
    </message>
    <message>
        <source>Develop the selected batches sooner</source>
        <translation>選択したバッチを先に現像します</translation>
    </message>
    <message>
        <source>Priority &amp;down</source>
        <translation>優先度を下げる(&amp;D)</translation>
    </message>
    <message>
        <source>Develop the selected batches later</source>
        <translation>選択したバッチを後で現像します</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>結合(&amp;M)</translation>
    </message>
    <message>
        <source>Merge the selected batches into one</source>
        <translation>選択したバッチを一つに結合します</translation>
    </message>
    <message>
        <source>Remove &amp;finished</source>
        <translation>終了分を片付ける(&amp;E)</translation>
    </message>
    <message>
        <source>Remove finished batches from the list</source>
        <translation>終了したバッチを一覧から取り除きます（ファイルはそのまま）</translation>
    </message>
    <message>
        <source>&amp;Open output folder</source>
        <translation>書き出し先を開く(&amp;O)</translation>
    </message>
    <message>
        <source>Show the developed photos</source>
        <translation>現像した写真を表示します</translation>
    </message>
</context>
<context>
    <name>BatchCommands</name>
    <message>
        <source>Could not pause: {reason}</source>
        <translation>一時停止できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Could not resume: {reason}</source>
        <translation>再開できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Could not cancel: {reason}</source>
        <translation>キャンセルできませんでした: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) of {name} retried</source>
        <translation>
            <numerusform>{name} の写真 %Ln 枚を再試行します</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not retry the failed photos: {reason}</source>
        <translation>失敗した写真を再試行できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Could not merge: {reason}</source>
        <translation>結合できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Could not remove: {reason}</source>
        <translation>一覧から取り除けませんでした: {reason}</translation>
    </message>
    <message>
        <source>Removed {name}</source>
        <translation>{name} を一覧から取り除きました</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n batch(es)</source>
        <translation>
            <numerusform>%n 件のバッチを一覧から取り除きました</numerusform>
        </translation>
    </message>
    <message>
        <source>The output folder {folder} does not exist yet.</source>
        <translation>書き出し先フォルダー {folder} はまだありません。</translation>
    </message>
    <message>
        <source>the output folder</source>
        <translation>書き出し先フォルダー</translation>
    </message>
    <message>
        <source>Retry of {name} done: {developed} developed, {failed} failed again</source>
        <translation>{name} の再試行が終わりました: {developed} 枚を現像、{failed} 枚が再び失敗</translation>
    </message>
    <message>
        <source>Priority {changes} (batches with a higher priority go first)</source>
        <translation>優先度 {changes}（優先度の高いバッチから現像します）</translation>
    </message>
</context>
<context>
    <name>BatchStatusBar</name>
    <message>
        <source>API: off</source>
        <translation>API: オフ</translation>
    </message>
    <message>
        <source>Workers: {busy} of {workers} busy</source>
        <translation>稼働中のワーカー: {busy} / {workers}</translation>
    </message>
    <message numerus="yes">
        <source>Developing %n photo(s)</source>
        <translation>
            <numerusform>%n 枚を現像中</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchTableModel</name>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進捗</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>残り時間</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <source>{batch_id}
Priority {priority}
Output: {output}</source>
        <translation>{batch_id}
優先度 {priority}
書き出し先: {output}</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Close Junmai Batch</source>
        <translation>Junmai Batch を閉じる</translation>
    </message>
    <message>
        <source>Remember my choice</source>
        <translation>この選択を記憶する</translation>
    </message>
    <message>
        <source>Keep developing in the tray</source>
        <translation>トレイで現像を続ける</translation>
    </message>
    <message>
        <source>Quit (pauses batches)</source>
        <translation>終了する（バッチは一時停止）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) developing. Junmai Batch can keep developing with the window closed (its icon stays in the tray), or quit: quitting pauses the batches, and the next time you start Junmai Batch you can resume them where they stopped.</source>
        <translation>
            <numerusform>%n 件のバッチを現像中です。Junmai Batch はウィンドウを閉じても現像を続けられます（アイコンはトレイに残ります）。終了するとバッチは一時停止し、次に Junmai Batch を起動したときに止まったところから再開できます。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) developing. Quitting pauses them; the next time you start Junmai Batch you can resume them where they stopped.</source>
        <translation>
            <numerusform>%n 件のバッチを現像中です。終了するとバッチは一時停止し、次に Junmai Batch を起動したときに止まったところから再開できます。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Select a batch to see its photos.</source>
        <translation>バッチを選択すると写真が表示されます。</translation>
    </message>
    <message>
        <source>Only failed photos</source>
        <translation>失敗した写真のみ</translation>
    </message>
    <message>
        <source>Copy error report</source>
        <translation>エラーレポートをコピー</translation>
    </message>
    <message>
        <source>Copy every failed photo and its problem to the clipboard</source>
        <translation>失敗したすべての写真とその問題をクリップボードにコピーします</translation>
    </message>
    <message>
        <source>After the batch:</source>
        <translation>バッチ後の処理:</translation>
    </message>
    <message>
        <source>Open developed photo</source>
        <translation>現像した写真を開く</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>フォルダーで表示</translation>
    </message>
    <message>
        <source>Open original</source>
        <translation>元の写真を開く</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>パスをコピー</translation>
    </message>
    <message>
        <source>Retry this photo</source>
        <translation>この写真を再試行</translation>
    </message>
    <message>
        <source>the developed photo {name}</source>
        <translation>現像した写真「{name}」</translation>
    </message>
    <message>
        <source>the original {name}</source>
        <translation>元の写真「{name}」</translation>
    </message>
    <message>
        <source>the folder {name}</source>
        <translation>フォルダー「{name}」</translation>
    </message>
    <message>
        <source>Copied {path}</source>
        <translation>{path} をコピーしました</translation>
    </message>
    <message>
        <source>Could not retry {name}: {reason}</source>
        <translation>{name} を再試行できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Developing {name} again</source>
        <translation>{name} をもう一度現像します</translation>
    </message>
    <message>
        <source>Batch {name} ({batch_id}): {failed:,} of {total:,} photos failed</source>
        <translation>バッチ {name}（{batch_id}）: {total:,} 枚中 {failed:,} 枚が失敗</translation>
    </message>
    <message>
        <source>No reason was recorded.</source>
        <translation>理由は記録されていません。</translation>
    </message>
    <message>
        <source>{name} — {status}: {counts}</source>
        <translation>{name} — {status}: {counts}</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Drop photos or folders here, or click New batch.</source>
        <translation>ここに写真やフォルダーをドロップするか、「新規バッチ」をクリックしてください。</translation>
    </message>
    <message>
        <source>New batch…</source>
        <translation>新規バッチ…</translation>
    </message>
</context>
<context>
    <name>FarmPage</name>
    <message>
        <source>Render farm</source>
        <translation>レンダーファーム</translation>
    </message>
    <message>
        <source>The first line `junmai-farm hub` prints (empty: no farm)</source>
        <translation>`junmai-farm hub` が最初に表示する行（空欄: ファームを使わない）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>接続をテスト</translation>
    </message>
    <message>
        <source>This computer develops photos too</source>
        <translation>このコンピューターでも現像する</translation>
    </message>
    <message>
        <source>Changes to the farm take effect at the next launch.</source>
        <translation>ファームの変更は次回の起動時に反映されます。</translation>
    </message>
    <message>
        <source>Broker URL</source>
        <translation>ブローカー URL</translation>
    </message>
    <message>
        <source>Give the farm&apos;s URL first: {example}</source>
        <translation>先にファームの URL を入力してください: {example}</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>テスト中…</translation>
    </message>
    <message>
        <source>Connected: the broker answered with this password.</source>
        <translation>接続しました: ブローカーがこのパスワードで応答しました。</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>app was quit</source>
        <translation>アプリの終了</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>disk full</source>
        <translation>ディスクの空き不足</translation>
    </message>
    <message>
        <source>output folder unavailable</source>
        <translation>書き出し先フォルダーを使用できません</translation>
    </message>
    <message>
        <source>render farm unreachable</source>
        <translation>レンダーファームに接続できません</translation>
    </message>
    <message>
        <source>computer out of resources</source>
        <translation>コンピューターのリソース不足</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未開始</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>キャンセル済み</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>{number}st</source>
        <translation>{number} 番目</translation>
    </message>
    <message>
        <source>{number}nd</source>
        <translation>{number} 番目</translation>
    </message>
    <message>
        <source>{number}rd</source>
        <translation>{number} 番目</translation>
    </message>
    <message>
        <source>{number}th</source>
        <translation>{number} 番目</translation>
    </message>
    <message>
        <source>Waiting for a free worker — {ordinal} in line</source>
        <translation>空きワーカー待ち — {ordinal}</translation>
    </message>
    <message>
        <source>Completed — {failed} failed</source>
        <translation>完了 — {failed} 枚失敗</translation>
    </message>
    <message>
        <source>{done} done, {failed} failed, {to_go} to go</source>
        <translation>完了 {done}、失敗 {failed}、残り {to_go}</translation>
    </message>
    <message>
        <source>Nothing running</source>
        <translation>実行中のバッチはありません</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>開始中</translation>
    </message>
    <message>
        <source>{running} running · {speed} · about {eta} left</source>
        <translation>{running} 件実行中 · {speed} · 残り約 {eta}</translation>
    </message>
    <message>
        <source>{running} running · {speed}</source>
        <translation>{running} 件実行中 · {speed}</translation>
    </message>
    <message>
        <source>Junmai Batch — {percent} · {eta} left</source>
        <translation>Junmai Batch — {percent} · 残り {eta}</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 時間 {minutes} 分</translation>
    </message>
    <message>
        <source>{rate}/min</source>
        <translation>{rate} 枚/分</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>このコンピューター</translation>
    </message>
    <message>
        <source>No render farm: photos are developed on this computer.</source>
        <translation>レンダーファームなし: 写真はこのコンピューターで現像します。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>Farm: not connected. {problem}</source>
        <translation>ファーム: 未接続。{problem}</translation>
    </message>
    <message>
        <source>Farm: {computers} · {workers}</source>
        <translation>ファーム: {computers} · {workers}</translation>
    </message>
    <message>
        <source> · {queued} queued</source>
        <translation> · 待機 {queued} 件</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;User guide</source>
        <translation>ユーザーガイド(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <source>Open &amp;data folder</source>
        <translation>データフォルダーを開く(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;About Junmai Batch</source>
        <translation>Junmai Batch について(&amp;A)</translation>
    </message>
    <message>
        <source>the data folder</source>
        <translation>データフォルダー</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Batches</source>
        <translation>バッチ</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Batch</source>
        <translation>バッチ(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) running. Quitting pauses them; the next time you start Junmai Batch you can resume exactly where they stopped.

Quit now?</source>
        <translation>
            <numerusform>%n 件のバッチが実行中です。終了すると一時停止し、次に Junmai Batch を起動したときに止まったところから再開できます。

今すぐ終了しますか？</numerusform>
        </translation>
    </message>
    <message>
        <source>Quit Junmai Batch?</source>
        <translation>Junmai Batch を終了しますか？</translation>
    </message>
    <message>
        <source>Quit Junmai Batch</source>
        <translation>Junmai Batch の終了</translation>
    </message>
    <message>
        <source>the output folder</source>
        <translation>書き出し先フォルダー</translation>
    </message>
</context>
<context>
    <name>NewBatchDialog</name>
    <message>
        <source>New batch</source>
        <translation>新規バッチ</translation>
    </message>
    <message>
        <source>Looking for photos…</source>
        <translation>写真を探しています…</translation>
    </message>
    <message>
        <source>Add photos: drop files or folders here, or use Add files…</source>
        <translation>写真を追加してください: ここにファイルやフォルダーをドロップするか、「ファイルを追加…」を使います</translation>
    </message>
    <message>
        <source>The output folder {folder} is a file, not a folder</source>
        <translation>書き出し先 {folder} はフォルダーではなくファイルです</translation>
    </message>
    <message>
        <source>Creating batch… {done:,} of {total:,}</source>
        <translation>バッチを作成中… {done:,} / {total:,}</translation>
    </message>
    <message>
        <source>Batch {when}</source>
        <translation>バッチ {when}</translation>
    </message>
    <message>
        <source>Add photos to see a before/after preview of the first one.</source>
        <translation>写真を追加すると、最初の 1 枚の現像前と現像後をプレビューで比べられます。</translation>
    </message>
    <message>
        <source>Rendering the preview…</source>
        <translation>プレビューを作成中…</translation>
    </message>
    <message>
        <source>{name} at {blend:g} % blend</source>
        <translation>{name}（適用量 {blend:g} %）</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隠す</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>写真を追加</translation>
    </message>
    <message>
        <source>Photos ({patterns});;All files (*)</source>
        <translation>写真 ({patterns});;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>写真のフォルダーを追加</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>書き出し先フォルダー</translation>
    </message>
    <message>
        <source>Import a preset</source>
        <translation>プリセットを読み込む</translation>
    </message>
    <message>
        <source>Presets and LUTs (*.xmp *.cube *.png *.tif *.tiff *.json);;All files (*)</source>
        <translation>プリセットと LUT (*.xmp *.cube *.png *.tif *.tiff *.json);;すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>NewBatchForm</name>
    <message>
        <source>The template&apos;s preset {name} is not installed: import it, or choose another</source>
        <translation>テンプレートのプリセット「{name}」はインストールされていません。読み込むか、別のプリセットを選んでください</translation>
    </message>
    <message>
        <source>Default: a new folder for each batch in {folder}</source>
        <translation>既定: {folder} にバッチごとの新しいフォルダー</translation>
    </message>
    <message>
        <source>{name} (yours)</source>
        <translation>{name}（ユーザー）</translation>
    </message>
    <message>
        <source>Not rendered by Junmai Batch (left as they are): {keys}</source>
        <translation>Junmai Batch では処理されない設定（そのまま残ります）: {keys}</translation>
    </message>
    <message>
        <source>Output {number}: {problem}</source>
        <translation>書き出し {number}: {problem}</translation>
    </message>
    <message>
        <source>Add photos to see the first one&apos;s name.</source>
        <translation>写真を追加すると、最初の 1 枚の名前が表示されます。</translation>
    </message>
</context>
<context>
    <name>NewBatchView</name>
    <message>
        <source>Keep both (add a number)</source>
        <translation>両方残す（番号を付ける）</translation>
    </message>
    <message>
        <source>Replace the existing file</source>
        <translation>既存のファイルを置き換える</translation>
    </message>
    <message>
        <source>Skip the photo</source>
        <translation>その写真をスキップ</translation>
    </message>
    <message>
        <source>Named after the first folder</source>
        <translation>最初のフォルダー名を使う</translation>
    </message>
    <message>
        <source>Drop photos or folders here.</source>
        <translation>ここに写真やフォルダーをドロップしてください。</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>ファイルを追加…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>フォルダーを追加…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>List the files that are not photos</source>
        <translation>写真ではないファイルを一覧表示します</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>写真</translation>
    </message>
    <message>
        <source>Batch name</source>
        <translation>バッチ名</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Batches with a higher priority are developed first</source>
        <translation>優先度の高いバッチから現像します</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>If a file exists</source>
        <translation>同名のファイルがある場合</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>After the batch</source>
        <translation>バッチ後の処理</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>読み込み…</translation>
    </message>
    <message>
        <source>Import a Lightroom .xmp preset, a .cube LUT or a Hald image</source>
        <translation>Lightroom の .xmp プリセット、.cube LUT、Hald 画像を読み込みます</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>現像前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>現像後</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>Blend</source>
        <translation>適用量</translation>
    </message>
    <message>
        <source>Start now</source>
        <translation>今すぐ開始</translation>
    </message>
    <message>
        <source>Add paused</source>
        <translation>一時停止で追加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>1 photo</source>
        <translation>写真 1 枚</translation>
    </message>
    <message>
        <source>{count:,} photos (showing the first {shown:,})</source>
        <translation>写真 {count:,} 枚（最初の {shown:,} 枚を表示）</translation>
    </message>
    <message>
        <source>{count:,} photos</source>
        <translation>写真 {count:,} 枚</translation>
    </message>
    <message>
        <source>1 file will not be developed:</source>
        <translation>1 件のファイルは現像されません:</translation>
    </message>
    <message>
        <source>{count:,} files will not be developed:</source>
        <translation>{count:,} 件のファイルは現像されません:</translation>
    </message>
    <message>
        <source>1 file skipped: not a photo</source>
        <translation>1 件のファイルをスキップ: 写真ではありません</translation>
    </message>
    <message>
        <source>{count:,} files skipped: not photos</source>
        <translation>{count:,} 件のファイルをスキップ: 写真ではありません</translation>
    </message>
</context>
<context>
    <name>OutputsEditor</name>
    <message>
        <source>Quality</source>
        <translation>画質</translation>
    </message>
    <message>
        <source>Add output</source>
        <translation>書き出しを追加</translation>
    </message>
    <message>
        <source>Write each photo once more, e.g. a small JPEG for the web</source>
        <translation>各写真をもう一度書き出します（例: Web 用の小さな JPEG）</translation>
    </message>
    <message>
        <source>Remove output</source>
        <translation>書き出しを削除</translation>
    </message>
    <message>
        <source>{bits}-bit</source>
        <translation>{bits} ビット</translation>
    </message>
    <message>
        <source>16 bits per channel: TIFF and PNG only</source>
        <translation>チャンネルあたり 16 ビット: TIFF と PNG のみ</translation>
    </message>
    <message>
        <source>Full size</source>
        <translation>元のサイズ</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Scale down so the longer side has this length</source>
        <translation>長辺がこの長さになるように縮小します</translation>
    </message>
    <message>
        <source>{stem} the photo&apos;s name, {preset} the preset, {batch} the batch, {seq:04} its number, {date:%Y-%m-%d} when it was taken, {camera}, {lens}, {iso}, {rating}; a / makes subfolders</source>
        <translation>{stem} 写真の名前、{preset} プリセット、{batch} バッチ、{seq:04} 連番、{date:%Y-%m-%d} 撮影日、{camera}、{lens}、{iso}、{rating}。/ でサブフォルダーを作ります</translation>
    </message>
    <message>
        <source>None: in the output folder itself</source>
        <translation>なし: 書き出し先フォルダーに直接</translation>
    </message>
    <message>
        <source>Write an XMP sidecar with the develop settings</source>
        <translation>現像設定を XMP サイドカーに書き出す</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>ファイル名</translation>
    </message>
    <message>
        <source>Subfolder</source>
        <translation>サブフォルダー</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>例</translation>
    </message>
    <message>
        <source>output {number}</source>
        <translation>書き出し {number}</translation>
    </message>
    <message>
        <source>{number}: {name}</source>
        <translation>{number}: {name}</translation>
    </message>
    <message>
        <source>{px} px</source>
        <translation>{px} px</translation>
    </message>
    <message>
        <source>full size</source>
        <translation>元のサイズ</translation>
    </message>
    <message>
        <source>output folder</source>
        <translation>書き出し先フォルダー</translation>
    </message>
    <message>
        <source>{number}. {format}, {size}, in {folder}</source>
        <translation>{number}. {format}、{size}、フォルダー: {folder}</translation>
    </message>
</context>
<context>
    <name>PathDialog</name>
    <message>
        <source>Could not open</source>
        <translation>開けませんでした</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>パスをコピー</translation>
    </message>
    <message>
        <source>Junmai Batch could not open {what}: it is no longer there.</source>
        <translation>Junmai Batch は{what}を開けませんでした: もう存在しません。</translation>
    </message>
    <message>
        <source>Junmai Batch could not open {what}: no program on this computer offered to show it. You can copy its path and open it yourself.</source>
        <translation>Junmai Batch は{what}を開けませんでした: このコンピューターには表示できるプログラムがありません。パスをコピーしてご自身で開いてください。</translation>
    </message>
</context>
<context>
    <name>PhotoTableModel</name>
    <message>
        <source>Waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Developing</source>
        <translation>現像中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>写真</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>書き出しファイル</translation>
    </message>
    <message>
        <source>Developed by</source>
        <translation>現像したコンピューター</translation>
    </message>
</context>
<context>
    <name>Plurals</name>
    <message numerus="yes">
        <source>%n computer(s)</source>
        <translation>
            <numerusform>コンピューター %n 台</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s)</source>
        <translation>
            <numerusform>ワーカー %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Problem</name>
    <message>
        <source>After-batch action {number}: {problem}</source>
        <translation>バッチ後の処理 {number}: {problem}</translation>
    </message>
    <message>
        <source>copy needs the absolute path of the folder to copy the outputs to</source>
        <translation>コピーには、書き出したファイルのコピー先フォルダーを絶対パスで指定してください</translation>
    </message>
    <message>
        <source>the command cannot be read ({reason})</source>
        <translation>コマンドを読み取れません（{reason}）</translation>
    </message>
    <message>
        <source>command needs the program to run and its arguments, as a list of text</source>
        <translation>コマンドには、実行するプログラムとその引数をテキストのリストで指定してください</translation>
    </message>
    <message>
        <source>the command is too long (at most {count} arguments of {length} characters)</source>
        <translation>コマンドが長すぎます（引数は {count} 個まで、各 {length} 文字まで）</translation>
    </message>
    <message>
        <source>An output&apos;s subfolder must be a folder name inside the output folder (text of at most {limit} characters, no &apos;..&apos;), for example &quot;web&quot;</source>
        <translation>書き出しのサブフォルダーは、書き出し先フォルダーの中のフォルダー名にしてください（{limit} 文字まで、「..」は不可）。例: &quot;web&quot;</translation>
    </message>
    <message>
        <source>Choose a preset</source>
        <translation>プリセットを選んでください</translation>
    </message>
    <message>
        <source>The output folder must be an absolute folder path</source>
        <translation>書き出し先フォルダーは絶対パスで指定してください</translation>
    </message>
    <message>
        <source>A batch writes at most {limit} outputs per photo</source>
        <translation>1 枚の写真につき書き出せるのは {limit} 件までです</translation>
    </message>
    <message>
        <source>Output {number}: {problem}</source>
        <translation>書き出し {number}: {problem}</translation>
    </message>
    <message>
        <source>The naming template must be text, for example {example}</source>
        <translation>ファイル名のテンプレートはテキストで指定してください。例: {example}</translation>
    </message>
    <message>
        <source>The naming template is {length} characters long; at most {limit} are accepted</source>
        <translation>ファイル名のテンプレートが {length} 文字あります。{limit} 文字までにしてください</translation>
    </message>
    <message>
        <source>The naming template {template} is malformed: {reason}</source>
        <translation>ファイル名のテンプレート {template} の書き方が正しくありません: {reason}</translation>
    </message>
    <message>
        <source>The naming template uses unknown fields {names}</source>
        <translation>ファイル名のテンプレートに使えないフィールドがあります: {names}</translation>
    </message>
    <message>
        <source>The file name in the naming template (after the last /) must contain {stem} or {seq}, or every photo gets the same name</source>
        <translation>ファイル名のテンプレートのファイル名部分（最後の / より後）には {stem} か {seq} を入れてください。入れないと、すべての写真が同じ名前になります</translation>
    </message>
    <message>
        <source>width</source>
        <translation>幅</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>A folder in the naming template cannot be {name}</source>
        <translation>ファイル名のテンプレートのフォルダー名に {name} は使えません</translation>
    </message>
    <message>
        <source>The naming field {field} has a format Junmai does not understand; a date takes the codes {codes} and the characters {characters} and spaces, such as {example}</source>
        <translation>フィールド {field} の書式は使えません。日付に使えるのはコード {codes}、文字 {characters} と空白です。例: {example}</translation>
    </message>
    <message>
        <source>The naming field {field} has a format Junmai does not understand; a field takes only a width, an alignment and a precision, such as {example} or {other}</source>
        <translation>フィールド {field} の書式は使えません。指定できるのは幅・揃え・精度だけです。例: {example}、{other}</translation>
    </message>
    <message>
        <source>The naming field {field} asks for a {part} of {value}; at most {limit} characters is accepted</source>
        <translation>フィールド {field} の{part}が {value} になっています。{limit} 文字までにしてください</translation>
    </message>
    <message>
        <source>The folder to watch must be an absolute folder path</source>
        <translation>監視するフォルダーは絶対パスで指定してください</translation>
    </message>
    <message>
        <source>There is no folder at {folder}</source>
        <translation>{folder} にフォルダーがありません</translation>
    </message>
    <message>
        <source>{folder} is watched already (watch {watch})</source>
        <translation>{folder} はすでに監視しています（監視 {watch}）</translation>
    </message>
    <message>
        <source>The output folder is inside the watched folder {folder}: its outputs would be taken as new photos. Choose an output folder outside it.</source>
        <translation>書き出し先フォルダーが監視フォルダー {folder} の中にあります。書き出したファイルが新しい写真として取り込まれてしまうので、監視フォルダーの外に書き出し先を選んでください。</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>blend</source>
        <translation>適用量</translation>
    </message>
    <message>
        <source>format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>画質</translation>
    </message>
    <message>
        <source>bit depth</source>
        <translation>ビット深度</translation>
    </message>
    <message>
        <source>file names</source>
        <translation>ファイル名</translation>
    </message>
    <message>
        <source>what happens to existing files</source>
        <translation>同名のファイルがある場合の扱い</translation>
    </message>
    <message>
        <source>size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>XMP sidecar</source>
        <translation>XMP サイドカー</translation>
    </message>
    <message>
        <source>colour profile</source>
        <translation>カラープロファイル</translation>
    </message>
    <message>
        <source>outputs</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>after-batch actions</source>
        <translation>バッチ後の処理</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>on</source>
        <translation>オン</translation>
    </message>
    <message>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>Choose at least two batches to merge.</source>
        <translation>結合するバッチを 2 つ以上選んでください。</translation>
    </message>
    <message>
        <source>{first} and {other} differ in {setting}: only batches with the same settings can be merged.</source>
        <translation>{first} と {other} は{setting}が異なります。結合できるのは設定が同じバッチだけです。</translation>
    </message>
    <message>
        <source>{first} and {other} differ in {setting} ({mine} and {theirs}): only batches with the same settings can be merged.</source>
        <translation>{first} と {other} は{setting}が異なります（{mine} と {theirs}）。結合できるのは設定が同じバッチだけです。</translation>
    </message>
</context>
<context>
    <name>Questions</name>
    <message>
        <source>Cancel {names} and {more} more? Photos already developed stay in the output folder; the rest will not be developed.</source>
        <translation>{names} ほか {more} 件をキャンセルしますか？ 現像済みの写真は書き出し先フォルダーに残り、残りの写真は現像されません。</translation>
    </message>
    <message>
        <source>Cancel {names}? Photos already developed stay in the output folder; the rest will not be developed.</source>
        <translation>{names} をキャンセルしますか？ 現像済みの写真は書き出し先フォルダーに残り、残りの写真は現像されません。</translation>
    </message>
    <message>
        <source>Cancel batches</source>
        <translation>バッチのキャンセル</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Interrupted (the app stopped unexpectedly)</source>
        <translation>中断（アプリが予期せず停止しました）</translation>
    </message>
    <message>
        <source>Paused when the app was quit</source>
        <translation>アプリの終了時に一時停止</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>バッチ</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>未処理</translation>
    </message>
    <message>
        <source>Why it stopped</source>
        <translation>停止した理由</translation>
    </message>
    <message>
        <source>Paused at</source>
        <translation>一時停止した日時</translation>
    </message>
    <message>
        <source>Resume unfinished batches?</source>
        <translation>未完了のバッチを再開しますか？</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>すべて再開</translation>
    </message>
    <message>
        <source>Resume selected</source>
        <translation>選択したバッチを再開</translation>
    </message>
    <message>
        <source>Keep paused</source>
        <translation>一時停止のままにする</translation>
    </message>
    <message>
        <source>Cancel selected</source>
        <translation>選択したバッチをキャンセル</translation>
    </message>
    <message>
        <source>Stop these batches for good; photos already developed are kept</source>
        <translation>これらのバッチを完全に止めます。現像済みの写真は残ります</translation>
    </message>
    <message>
        <source>Could not cancel a batch: {reason}</source>
        <translation>バッチをキャンセルできませんでした: {reason}</translation>
    </message>
    <message>
        <source>Could not resume a batch: {reason}</source>
        <translation>バッチを再開できませんでした: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) stopped before finishing.</source>
        <translation>
            <numerusform>%n 件のバッチが完了前に停止しました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) still to develop. Photos already developed are safe and will not be developed again.</source>
        <translation>
            <numerusform>現像待ちの写真が %Ln 枚あります。現像済みの写真は無事で、もう一度現像されることはありません。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Ask me</source>
        <translation>毎回確認する</translation>
    </message>
    <message>
        <source>Keep developing in the tray</source>
        <translation>トレイで現像を続ける</translation>
    </message>
    <message>
        <source>Quit (pauses batches)</source>
        <translation>終了する（バッチは一時停止）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>ローカル API</translation>
    </message>
    <message>
        <source>Farm</source>
        <translation>ファーム</translation>
    </message>
    <message>
        <source>Watch folders</source>
        <translation>監視フォルダー</translation>
    </message>
    <message>
        <source>Photos developed at the same time, over all batches</source>
        <translation>すべてのバッチを合わせて同時に現像する写真の数</translation>
    </message>
    <message>
        <source>Pictures/Junmai Batch</source>
        <translation>ピクチャ/Junmai Batch</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>After a crash, ask whether to resume at launch</source>
        <translation>クラッシュ後の起動時に、再開するかどうかを確認する</translation>
    </message>
    <message>
        <source>Developing</source>
        <translation>現像</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>ワーカー数</translation>
    </message>
    <message>
        <source>Default output folder</source>
        <translation>既定の書き出し先フォルダー</translation>
    </message>
    <message>
        <source>Default format</source>
        <translation>既定の形式</translation>
    </message>
    <message>
        <source>Closing the window while batches develop</source>
        <translation>現像中にウィンドウを閉じたとき</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>System</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>Applies at the next launch</source>
        <translation>次回の起動時に反映されます</translation>
    </message>
    <message>
        <source>Let scripts on this computer control batches</source>
        <translation>このコンピューター上のスクリプトからバッチを操作できるようにする</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>新しいトークン</translation>
    </message>
    <message>
        <source>Scripts using the old token stop working</source>
        <translation>古いトークンを使うスクリプトは動作しなくなります</translation>
    </message>
    <message>
        <source>Save applies every change at once, the API&apos;s too; the farm&apos;s at the next launch.</source>
        <translation>「保存」を押すと API を含むすべての変更がすぐに反映されます。ファームの変更は次回の起動時に反映されます。</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>現在</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>New token saved: scripts must read it again.</source>
        <translation>新しいトークンを保存しました: スクリプトで読み込み直してください。</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隠す</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Quit Junmai Batch (running batches pause)</source>
        <translation>Junmai Batch を終了（実行中のバッチは一時停止）</translation>
    </message>
    <message>
        <source>Open the user guide</source>
        <translation>ユーザーガイドを開く</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>機能</translation>
    </message>
</context>
<context>
    <name>TemplateBar</name>
    <message>
        <source>Save as template…</source>
        <translation>テンプレートとして保存…</translation>
    </message>
    <message>
        <source>Save the preset, blend, outputs and after-batch actions under a name</source>
        <translation>プリセット、適用量、書き出し、バッチ後の処理に名前を付けて保存します</translation>
    </message>
    <message>
        <source>Delete template…</source>
        <translation>テンプレートを削除…</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>使うテンプレート</translation>
    </message>
    <message>
        <source>Replace template</source>
        <translation>テンプレートの置き換え</translation>
    </message>
    <message>
        <source>A template named “{name}” exists. Replace it with these settings?</source>
        <translation>テンプレート「{name}」はすでにあります。この設定で置き換えますか？</translation>
    </message>
    <message>
        <source>The template was not saved: {reason}</source>
        <translation>テンプレートを保存できませんでした: {reason}</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>テンプレートの削除</translation>
    </message>
    <message>
        <source>Delete the template “{name}”? Batches made from it keep their settings; watched folders that use it take no new photos until it is saved again.</source>
        <translation>テンプレート「{name}」を削除しますか？ このテンプレートから作成したバッチの設定はそのまま残ります。このテンプレートを使う監視フォルダーは、もう一度保存されるまで新しい写真を取り込みません。</translation>
    </message>
    <message>
        <source>(no template)</source>
        <translation>（テンプレートなし）</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>テンプレートとして保存</translation>
    </message>
    <message>
        <source>Template name</source>
        <translation>テンプレート名</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>テンプレート</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>{finished:,} / {total:,} photos ({percent:.1f} %), {running} running</source>
        <translation>{finished:,} / {total:,} 枚（{percent:.1f} %）、{running} 件実行中</translation>
    </message>
    <message>
        <source>, about {eta} left</source>
        <translation>、残り約 {eta}</translation>
    </message>
    <message>
        <source>1 batch paused</source>
        <translation>1 件のバッチが一時停止中</translation>
    </message>
    <message>
        <source>{count} batches paused</source>
        <translation>{count} 件のバッチが一時停止中</translation>
    </message>
    <message>
        <source>Nothing to develop</source>
        <translation>現像するものはありません</translation>
    </message>
    <message>
        <source>Junmai Batch — {overall}</source>
        <translation>Junmai Batch — {overall}</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>すべて一時停止</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>すべて再開</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>…ほか {count} 件</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>ウィンドウを表示</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>{name} — {percent:.0f} % ({status})</source>
        <translation>{name} — {percent:.0f} %（{status}）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>キャンセル…</translation>
    </message>
    <message>
        <source>Watch folders</source>
        <translation>監視フォルダー</translation>
    </message>
    <message>
        <source>Paused: {folder}</source>
        <translation>一時停止中: {folder}</translation>
    </message>
    <message>
        <source>Watching {folder}</source>
        <translation>監視中: {folder}</translation>
    </message>
    <message>
        <source>Watch folder settings…</source>
        <translation>監視フォルダーの設定…</translation>
    </message>
    <message>
        <source>Junmai Batch</source>
        <translation>Junmai Batch</translation>
    </message>
    <message>
        <source>{name}: {done:,} photos developed, {failed:,} failed</source>
        <translation>{name}: {done:,} 枚を現像、{failed:,} 枚が失敗</translation>
    </message>
    <message>
        <source>{name}: {done:,} photos developed</source>
        <translation>{name}: {done:,} 枚を現像しました</translation>
    </message>
    <message>
        <source>Batch finished</source>
        <translation>バッチが終了しました</translation>
    </message>
    <message>
        <source>it could not go on</source>
        <translation>続行できませんでした</translation>
    </message>
    <message>
        <source>Batch failed</source>
        <translation>バッチが失敗しました</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
    <message>
        <source>Junmai Batch is still running</source>
        <translation>Junmai Batch は引き続き実行中です</translation>
    </message>
    <message>
        <source>Batches keep developing. Use the tray icon to show the window or quit.</source>
        <translation>バッチの現像は続きます。ウィンドウの表示や終了はトレイアイコンから行えます。</translation>
    </message>
</context>
<context>
    <name>UndoOffer</name>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
</context>
<context>
    <name>UserGuideDialog</name>
    <message>
        <source>Junmai Batch user guide</source>
        <translation>Junmai Batch ユーザーガイド</translation>
    </message>
</context>
<context>
    <name>WatchFoldersPage</name>
    <message>
        <source>Photos copied into a watched folder (from a card, a tethering program) are developed as they arrive, into that folder&apos;s batch of the day. Changes here apply at once; they are not part of Save.</source>
        <translation>監視フォルダーに（カードやテザー撮影ソフトから）コピーされた写真は、届きしだい、そのフォルダーのその日のバッチで現像されます。ここでの変更はすぐに反映され、「保存」とは関係ありません。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Develops with</source>
        <translation>現像設定</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Today&apos;s batch</source>
        <translation>今日のバッチ</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <source>No folder is watched. Add one to develop what arrives.</source>
        <translation>監視しているフォルダーはありません。追加すると、届いた写真を現像します。</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>追加…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>Stop watching</source>
        <translation>監視の停止</translation>
    </message>
    <message>
        <source>Stop watching {folder}? Photos already taken keep developing in their batches; new photos there are left alone.</source>
        <translation>{folder} の監視を停止しますか？ 取り込み済みの写真はそれぞれのバッチで現像を続けます。そのフォルダーに届く新しい写真は処理されません。</translation>
    </message>
    <message>
        <source>Template “{name}”</source>
        <translation>テンプレート「{name}」</translation>
    </message>
    <message>
        <source>{preset} at {blend:g} %</source>
        <translation>{preset}（{blend:g} %）</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>監視中</translation>
    </message>
    <message>
        <source>None yet today</source>
        <translation>今日はまだありません</translation>
    </message>
    <message>
        <source>{name}: {done} of {total} developed</source>
        <translation>{name}: {total} 枚中 {done} 枚を現像済み</translation>
    </message>
    <message>
        <source>The preset of the last batch: {preset} at {blend:g} %</source>
        <translation>前回のバッチのプリセット: {preset}（{blend:g} %）</translation>
    </message>
    <message>
        <source>Choose the folder to watch</source>
        <translation>監視するフォルダーを選択</translation>
    </message>
</context>
</TS>
