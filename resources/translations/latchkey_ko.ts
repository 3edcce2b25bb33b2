<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>CheckEmailPage</name>
    <message>
        <source>Check your email</source>
        <translation>이메일을 확인하세요</translation>
    </message>
    <message>
        <source>Or type the 6-digit &amp;code from the email:</source>
        <translation>또는 이메일에 있는 6자리 코드를 입력하세요(&amp;C):</translation>
    </message>
    <message>
        <source>123456</source>
        <translation>123456</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Resend email</source>
        <translation>이메일 다시 보내기</translation>
    </message>
    <message>
        <source>Use a different email</source>
        <translation>다른 이메일 사용</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Sign-in code</source>
        <translation>로그인 코드</translation>
    </message>
    <message>
        <source>The 6-digit code from the email; signs in once all six digits are typed</source>
        <translation>이메일에 있는 6자리 코드입니다. 여섯 자리를 모두 입력하면 로그인됩니다</translation>
    </message>
    <message>
        <source>Sign in with the code</source>
        <translation>코드로 로그인</translation>
    </message>
    <message>
        <source>Checks the 6-digit code from the email</source>
        <translation>이메일의 6자리 코드를 확인합니다</translation>
    </message>
    <message>
        <source>Sends a new email; the earlier link and code stop working</source>
        <translation>새 이메일을 보냅니다. 이전 링크와 코드는 더 이상 작동하지 않습니다</translation>
    </message>
    <message>
        <source>Goes back to type another address</source>
        <translation>다른 주소를 입력하러 돌아갑니다</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>로그인 취소</translation>
    </message>
    <message>
        <source>Stops this email sign-in (Esc)</source>
        <translation>이 이메일 로그인을 중단합니다 (Esc)</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Not signed in (the session expired).</source>
        <translation>로그인되어 있지 않습니다(세션이 만료되었습니다).</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>로그인되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>Signed in as %1 (session expires %2).</source>
        <translation>%1 계정으로 로그인되어 있습니다(세션 만료: %2).</translation>
    </message>
    <message>
        <source>%1 (403)</source>
        <translation>%1 (403)</translation>
    </message>
    <message>
        <source>This is protected content. You can access it because you are signed in.</source>
        <translation>보호된 콘텐츠입니다. 로그인했기 때문에 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Open this link in a browser on this computer to sign in with %1:</source>
        <translation>%1 계정으로 로그인하려면 이 컴퓨터의 브라우저에서 다음 링크를 여세요:</translation>
    </message>
    <message>
        <source>Your browser opens to sign in with %1. If it does not, open this link:</source>
        <translation>%1 계정으로 로그인할 수 있도록 브라우저가 열립니다. 열리지 않으면 다음 링크를 여세요:</translation>
    </message>
    <message>
        <source>Waiting for the browser…</source>
        <translation>브라우저를 기다리는 중…</translation>
    </message>
    <message>
        <source>Code: </source>
        <translation>코드: </translation>
    </message>
    <message>
        <source>We sent a sign-in link and a 6-digit code to %1. Open the link on this computer, or type the code.</source>
        <translation>%1 주소로 로그인 링크와 6자리 코드를 보냈습니다. 이 컴퓨터에서 링크를 열거나 코드를 입력하세요.</translation>
    </message>
    <message>
        <source>Signed in as %1.</source>
        <translation>%1 계정으로 로그인했습니다.</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>로그아웃했습니다.</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>You have not signed in with %1 on this account, so there is nothing to renew.</source>
        <translation>이 계정은 %1(으)로 로그인한 적이 없어 갱신할 것이 없습니다.</translation>
    </message>
    <message>
        <source>Nothing to renew: this account has no provider sign-in.</source>
        <translation>갱신할 것이 없습니다: 이 계정에는 제공업체 로그인이 없습니다.</translation>
    </message>
    <message>
        <source>Renewed the %1 sign-in (valid until %2).</source>
        <translation>%1 로그인을 갱신했습니다(%2까지 유효).</translation>
    </message>
    <message>
        <source>Renewed the %1 sign-in.</source>
        <translation>%1 로그인을 갱신했습니다.</translation>
    </message>
    <message>
        <source>You are not signed in: the sign-in could not be saved in the keychain.</source>
        <translation>로그인되지 않았습니다: 로그인 정보를 키체인에 저장할 수 없었습니다.</translation>
    </message>
    <message>
        <source>Signed in on this computer: %1. &apos;latchkey switch ACCOUNT&apos; uses one.</source>
        <translation>이 컴퓨터에 로그인된 계정: %1. &apos;latchkey switch 계정&apos;으로 사용할 계정을 고르세요.</translation>
    </message>
    <message>
        <source>Also signed in on this computer: %1.</source>
        <translation>이 컴퓨터에 함께 로그인된 계정: %1.</translation>
    </message>
    <message>
        <source>No account is signed in on this computer.</source>
        <translation>이 컴퓨터에 로그인된 계정이 없습니다.</translation>
    </message>
    <message>
        <source>Now using %1.</source>
        <translation>이제 %1 계정을 사용합니다.</translation>
    </message>
    <message>
        <source>Switch to %1? %2 stays signed in on this computer. [y/N] </source>
        <translation>%1 계정으로 전환할까요? %2 계정은 이 컴퓨터에 로그인된 상태로 남습니다. [y/N] </translation>
    </message>
    <message>
        <source>Signed out of every account on this computer.</source>
        <translation>이 컴퓨터의 모든 계정에서 로그아웃했습니다.</translation>
    </message>
    <message>
        <source>Still signed in on this computer: %1. &apos;latchkey switch ACCOUNT&apos; uses one, &apos;latchkey signout --all&apos; signs every account out.</source>
        <translation>이 컴퓨터에 아직 로그인된 계정: %1. &apos;latchkey switch 계정&apos;으로 사용할 계정을 고르거나, &apos;latchkey signout --all&apos;로 모든 계정에서 로그아웃하세요.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a session id: &apos;latchkey sessions&apos; lists them.</source>
        <translation>&apos;%1&apos;은(는) 세션 ID가 아닙니다. &apos;latchkey sessions&apos;로 목록을 확인하세요.</translation>
    </message>
    <message>
        <source>Ended session %1.</source>
        <translation>세션 %1을(를) 종료했습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Ended %n other session(s).</source>
        <translation>
            <numerusform>다른 세션 %n개를 종료했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1  %2  signed in %3, last active %4, expires %5</source>
        <translation>%1  %2  로그인 %3, 최근 활동 %4, 만료 %5</translation>
    </message>
    <message>
        <source>unknown device</source>
        <translation>알 수 없는 기기</translation>
    </message>
    <message>
        <source>Signed out everywhere: every session of this account ended, and its provider sign-ins were revoked.</source>
        <translation>모든 곳에서 로그아웃했습니다. 이 계정의 모든 세션이 종료되었고 제공업체 로그인이 취소되었습니다.</translation>
    </message>
    <message>
        <source>Confirmed. For the next 10 minutes, commands that need a recent sign-in work.</source>
        <translation>확인했습니다. 앞으로 10분 동안 최근 로그인이 필요한 명령을 사용할 수 있습니다.</translation>
    </message>
    <message>
        <source>Run &apos;latchkey confirm&apos;, then this again.</source>
        <translation>&apos;latchkey confirm&apos;을 실행한 다음 이 명령을 다시 실행하세요.</translation>
    </message>
    <message>
        <source>Confirm it is you: sign in again as %1.</source>
        <translation>본인인지 확인하세요: %1 계정으로 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>Session %1 is the one in use: &apos;latchkey signout&apos; ends it.</source>
        <translation>세션 %1은(는) 지금 사용 중인 세션입니다. &apos;latchkey signout&apos;으로 종료하세요.</translation>
    </message>
    <message>
        <source>%1 could not be reached to revoke this sign-in. It is gone from this computer; Latchkey revokes it at %1 the next time it runs and can reach it.</source>
        <translation>%1에 연결할 수 없어 이 로그인을 취소하지 못했습니다. 이 컴퓨터에서는 이미 지워졌으며, Latchkey가 다음에 실행되어 %1에 연결할 수 있을 때 취소합니다.</translation>
    </message>
    <message>
        <source>To sign in with %1, open this address on another device (a phone or a computer):</source>
        <translation>%1(으)로 로그인하려면 다른 기기(휴대폰이나 컴퓨터)에서 이 주소를 여세요:</translation>
    </message>
    <message>
        <source>and enter this code:</source>
        <translation>그리고 이 코드를 입력하세요:</translation>
    </message>
    <message>
        <source>Or scan this QR code:</source>
        <translation>또는 이 QR 코드를 스캔하세요:</translation>
    </message>
    <message numerus="yes">
        <source>Only enter the code if you started this sign-in yourself. It expires in %n minute(s).</source>
        <translation>
            <numerusform>이 로그인을 직접 시작한 경우에만 코드를 입력하세요. 코드는 %n분 후에 만료됩니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for approval… (Ctrl+C cancels)</source>
        <translation>승인을 기다리는 중… (Ctrl+C로 취소)</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Read settings from a dotenv file.</source>
        <translation>dotenv 파일에서 설정을 읽습니다.</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON으로 출력합니다.</translation>
    </message>
    <message>
        <source>signin: the email address.</source>
        <translation>signin: 사용할 이메일 주소입니다.</translation>
    </message>
    <message>
        <source>signin: print the sign-in URL instead of opening a browser.</source>
        <translation>signin: 브라우저를 여는 대신 로그인 URL을 출력합니다.</translation>
    </message>
    <message>
        <source>The command to run.</source>
        <translation>실행할 명령입니다.</translation>
    </message>
    <message>
        <source>signin, refresh: the provider id.</source>
        <translation>signin, refresh: 사용할 제공업체 ID입니다.</translation>
    </message>
    <message>
        <source>signout: sign out every account on this device.</source>
        <translation>signout: 이 기기의 모든 계정에서 로그아웃합니다.</translation>
    </message>
    <message>
        <source>signout: end every session of this account and revoke its provider sign-ins.</source>
        <translation>signout: 이 계정의 모든 세션을 종료하고 제공업체 로그인을 취소합니다.</translation>
    </message>
    <message>
        <source>sessions: end the session with this id.</source>
        <translation>sessions: 이 ID의 세션을 종료합니다.</translation>
    </message>
    <message>
        <source>sessions: end every session but this one.</source>
        <translation>sessions: 현재 세션을 제외한 모든 세션을 종료합니다.</translation>
    </message>
    <message>
        <source>signin: show a code to approve the sign-in on another device (a phone or another computer).</source>
        <translation>signin: 다른 기기(휴대폰이나 다른 컴퓨터)에서 로그인을 승인할 코드를 표시합니다.</translation>
    </message>
    <message>
        <source>Latchkey: native desktop sign-in.

Without a command, opens the sign-in window. Commands:
  status                     Who is signed in (exit 3 if nobody).
  session [--json]           The current session, like GET /api/auth/session.
  data [--json]              Protected data; exit 3 with &quot;not signed in&quot; otherwise.
  signin --email ADDR        Email a sign-in code and read it from the terminal.
  signin --provider ID [--no-browser | --device]
                             Sign in with a configured provider (--device:
                             approve it on another device with a code).
  signout [--all | --everywhere]
                             Sign the active account out on this device (--all:
                             every account; --everywhere: every session of this
                             account, and revoke its provider sign-ins).
  sessions [--json] [--revoke ID | --others]
                             This account&apos;s sessions; end one, or all but this.
  confirm [--no-browser]     Sign in again to confirm it is you (10 minutes),
                             before signout --everywhere.
  accounts [--json]          The accounts signed in on this device (* active).
  switch ACCOUNT             Make another account (email or id) the active one
                             (exit 3 if it is not signed in here).
  refresh [--provider ID]    Renew the provider tokens now (exit 3 if the
                             provider ended the sign-in).

Exit codes: 0 ok, 1 failed, 2 bad configuration or usage, 3 not signed in
(or a recent sign-in needed: confirm), 4 cancelled or code refused.</source>
        <translation>Latchkey: 네이티브 데스크톱 로그인.

명령 없이 실행하면 로그인 창을 엽니다. 명령:
  status                     로그인한 사용자를 표시합니다(없으면 종료 코드 3).
  session [--json]           현재 세션을 GET /api/auth/session과 같은
                             형식으로 표시합니다.
  data [--json]              보호된 데이터를 표시합니다. 로그인하지 않았으면
                             &quot;로그인 안 됨&quot; 오류와 종료 코드 3.
  signin --email ADDR        이메일로 로그인 코드를 받아 터미널에서 입력합니다.
  signin --provider ID [--no-browser | --device]
                             구성된 제공업체로 로그인합니다(--device: 다른
                             기기에서 코드로 승인).
  signout [--all | --everywhere]
                             이 기기에서 사용 중인 계정을 로그아웃합니다(--all:
                             모든 계정, --everywhere: 이 계정의 모든 세션을
                             종료하고 제공업체 로그인을 취소).
  sessions [--json] [--revoke ID | --others]
                             이 계정의 세션 목록. 하나를 종료하거나 현재 세션을
                             제외한 모든 세션을 종료합니다.
  confirm [--no-browser]     본인 확인을 위해 다시 로그인합니다(10분 동안 유효,
                             signout --everywhere 전에 필요).
  accounts [--json]          이 기기에 로그인된 계정(* 사용 중).
  switch ACCOUNT             다른 계정(이메일 또는 ID)을 사용 중인 계정으로
                             바꿉니다(여기에 로그인되어 있지 않으면 종료 코드 3).
  refresh [--provider ID]    제공업체 토큰을 지금 갱신합니다(제공업체가
                             로그인을 끝냈으면 종료 코드 3).

종료 코드: 0 성공, 1 실패, 2 잘못된 설정 또는 사용법, 3 로그인 안 됨 또는
최근 로그인 필요, 4 취소되었거나 코드가 거부됨.</translation>
    </message>
    <message>
        <source>No desktop session found — the window needs one; the command line works without: latchkey status, latchkey signin --email ADDRESS, latchkey signin --provider ID --device, latchkey --help.</source>
        <translation>데스크톱 세션을 찾을 수 없습니다 — 창을 열려면 데스크톱 세션이 필요합니다. 명령줄은 없이도 작동합니다: latchkey status, latchkey signin --email ADDRESS, latchkey signin --provider ID --device, latchkey --help.</translation>
    </message>
    <message>
        <source>Also print what Latchkey does (its log) on standard error; without it, only warnings.</source>
        <translation>Latchkey가 하는 일(로그)도 표준 오류에 출력합니다. 없으면 경고만 출력합니다.</translation>
    </message>
    <message>
        <source>Without a command: open this view of the window (home, dashboard or profile). When the window is already open, it comes to the front with that view.</source>
        <translation>명령 없이: 창의 이 화면을 엽니다(home, dashboard 또는 profile). 창이 이미 열려 있으면 그 화면으로 앞에 나타납니다.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>← Home</source>
        <translation>← 홈</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation>최근 활동</translation>
    </message>
    <message>
        <source>Back to Home</source>
        <translation>홈으로 돌아가기</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>&amp;Dashboard</source>
        <translation>대시보드(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>프로필(&amp;P)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>로그아웃(&amp;O)</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>프로필</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>로그아웃</translation>
    </message>
</context>
<context>
    <name>LoadingPage</name>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
</context>
<context>
    <name>MagicLinkMessage</name>
    <message>
        <source>Sign in to Latchkey</source>
        <translation>Latchkey에 로그인</translation>
    </message>
    <message>
        <source>Click the link below to sign in to Latchkey on this computer.</source>
        <translation>이 컴퓨터에서 Latchkey에 로그인하려면 아래 링크를 클릭하세요.</translation>
    </message>
    <message>
        <source>Or type this code in the Latchkey window:</source>
        <translation>또는 Latchkey 창에 다음 코드를 입력하세요:</translation>
    </message>
    <message>
        <source>The link and the code work once and expire in %1 minutes (at %2).</source>
        <translation>링크와 코드는 한 번만 사용할 수 있으며 %1분 후(%2)에 만료됩니다.</translation>
    </message>
    <message>
        <source>If you did not ask to sign in, ignore this email: nothing happens without the link or the code.</source>
        <translation>로그인을 요청하지 않았다면 이 이메일을 무시하세요. 링크나 코드가 없으면 아무 일도 일어나지 않습니다.</translation>
    </message>
    <message>
        <source>The link opens Latchkey on the computer where you asked for it. On another device, use the code.</source>
        <translation>링크는 로그인을 요청한 컴퓨터에서 Latchkey를 엽니다. 다른 기기에서는 코드를 사용하세요.</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <source>← Home</source>
        <translation>← 홈</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>프로필</translation>
    </message>
    <message>
        <source>Sign-in methods</source>
        <translation>로그인 방법</translation>
    </message>
    <message>
        <source>Sessions on this device</source>
        <translation>이 기기의 세션</translation>
    </message>
    <message>
        <source>Sign out other sessions</source>
        <translation>다른 세션에서 로그아웃</translation>
    </message>
    <message>
        <source>Sign out everywhere…</source>
        <translation>모든 곳에서 로그아웃…</translation>
    </message>
    <message>
        <source>Delete my local data…</source>
        <translation>내 로컬 데이터 삭제…</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>활동</translation>
    </message>
    <message>
        <source>Back to Home</source>
        <translation>홈으로 돌아가기</translation>
    </message>
    <message>
        <source>Sign out selected session</source>
        <translation>선택한 세션 로그아웃</translation>
    </message>
    <message>
        <source>Sign out the selected session</source>
        <translation>선택한 세션에서 로그아웃</translation>
    </message>
    <message>
        <source>Sign out everywhere</source>
        <translation>모든 곳에서 로그아웃</translation>
    </message>
    <message>
        <source>Delete my local data</source>
        <translation>내 로컬 데이터 삭제</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>No sign-in providers are configured yet.
To add Google or another provider, set GOOGLE_ID
or OIDC_PROVIDERS (see the README).</source>
        <translation>아직 구성된 로그인 제공업체가 없습니다.
Google 또는 다른 제공업체를 추가하려면 GOOGLE_ID 또는
OIDC_PROVIDERS를 설정하세요(README 참고).</translation>
    </message>
    <message>
        <source>or</source>
        <translation>또는</translation>
    </message>
    <message>
        <source>&amp;Email address</source>
        <translation>이메일 주소(&amp;E)</translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation>you@example.com</translation>
    </message>
    <message>
        <source>Email me a sign-in link</source>
        <translation>이메일로 로그인 링크 받기</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>이메일 주소</translation>
    </message>
    <message>
        <source>The address we send a sign-in link and code to</source>
        <translation>로그인 링크와 코드를 보낼 주소</translation>
    </message>
    <message>
        <source>Sends a sign-in link and a 6-digit code to the address above</source>
        <translation>위 주소로 로그인 링크와 6자리 코드를 보냅니다</translation>
    </message>
</context>
<context>
    <name>WaitingPage</name>
    <message>
        <source>Waiting for your browser…</source>
        <translation>브라우저를 기다리는 중…</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>브라우저 다시 열기</translation>
    </message>
    <message>
        <source>Copy sign-in link</source>
        <translation>로그인 링크 복사</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Opens the sign-in page in your browser once more</source>
        <translation>브라우저에서 로그인 페이지를 다시 엽니다</translation>
    </message>
    <message>
        <source>Copies the sign-in address to paste into a browser yourself</source>
        <translation>브라우저에 직접 붙여 넣을 로그인 주소를 복사합니다</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>로그인 취소</translation>
    </message>
    <message>
        <source>Stops waiting for the browser (Esc)</source>
        <translation>브라우저 기다리기를 중단합니다 (Esc)</translation>
    </message>
</context>
<context>
    <name>latchkey::CheckEmailPage</name>
    <message>
        <source>We sent a sign-in link to %1. Open it on this computer to sign in.</source>
        <translation>%1 주소로 로그인 링크를 보냈습니다. 이 컴퓨터에서 링크를 열어 로그인하세요.</translation>
    </message>
    <message>
        <source>Resend email</source>
        <translation>이메일 다시 보내기</translation>
    </message>
    <message>
        <source>This is your last try.</source>
        <translation>마지막 시도입니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n tries left.</source>
        <translation>
            <numerusform>%n번 남았습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Resend in %1</source>
        <translation>%1 후 재전송</translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code from the email.</source>
        <translation>이메일에 있는 코드 6자리를 모두 입력하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::DevicePage</name>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Only enter the code if you started this sign-in.</source>
        <translation>이 로그인을 직접 시작한 경우에만 코드를 입력하세요.</translation>
    </message>
    <message>
        <source>Get a new code</source>
        <translation>새 코드 받기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Sign in with %1 on another device</source>
        <translation>다른 기기에서 %1(으)로 로그인</translation>
    </message>
    <message>
        <source>On your phone or another computer, open %1 and enter this code:</source>
        <translation>휴대폰이나 다른 컴퓨터에서 %1 주소를 열고 이 코드를 입력하세요:</translation>
    </message>
    <message>
        <source>QR code of %1</source>
        <translation>%1의 QR 코드</translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation>코드 만료까지 %1</translation>
    </message>
    <message>
        <source>This code has expired.</source>
        <translation>이 코드는 만료되었습니다.</translation>
    </message>
    <message>
        <source>Copy the code</source>
        <translation>코드 복사</translation>
    </message>
    <message>
        <source>Copies the code to type on the other device</source>
        <translation>다른 기기에 입력할 코드를 복사합니다</translation>
    </message>
    <message>
        <source>Starts again with a new code</source>
        <translation>새 코드로 다시 시작합니다</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>로그인 취소</translation>
    </message>
    <message>
        <source>Stops the sign-in on the other device (Esc)</source>
        <translation>다른 기기에서의 로그인을 중단합니다 (Esc)</translation>
    </message>
</context>
<context>
    <name>latchkey::Error</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n분</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n초</numerusform>
        </translation>
    </message>
    <message>
        <source>The server could not be reached. Check your network connection and try again.</source>
        <translation>서버에 연결할 수 없습니다. 네트워크 연결을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>This took too long and was stopped. Try again.</source>
        <translation>시간이 너무 오래 걸려 중지되었습니다. 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Sign-in was cancelled.</source>
        <translation>로그인이 취소되었습니다.</translation>
    </message>
    <message>
        <source>The sign-in provider refused the sign-in. Try again, or check the provider&apos;s settings for this app.</source>
        <translation>로그인 제공업체가 로그인을 거부했습니다. 다시 시도하거나 제공업체에서 이 앱의 설정을 확인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider refused to issue tokens. Sign in again.</source>
        <translation>로그인 제공업체가 토큰 발급을 거부했습니다. 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider&apos;s answer failed a security check, so it was not trusted. Try again; if it keeps happening, tell the app&apos;s developers.</source>
        <translation>로그인 제공업체의 응답이 보안 검사를 통과하지 못해 신뢰할 수 없습니다. 다시 시도하세요. 문제가 계속되면 앱 개발자에게 알려 주세요.</translation>
    </message>
    <message>
        <source>The sign-in database could not be read or written. Try again; if it keeps happening, check the disk and the file&apos;s permissions.</source>
        <translation>로그인 데이터베이스를 읽거나 쓸 수 없습니다. 다시 시도하세요. 문제가 계속되면 디스크와 파일 권한을 확인하세요.</translation>
    </message>
    <message>
        <source>The system keychain could not be used, so your sign-in is kept only until the app quits. Start and unlock your keyring, then sign in again.</source>
        <translation>시스템 키체인을 사용할 수 없어 앱을 종료할 때까지만 로그인 상태가 유지됩니다. 키링을 시작하고 잠금을 해제한 다음 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>The sign-in email could not be sent. Try again later, or sign in another way.</source>
        <translation>로그인 이메일을 보낼 수 없습니다. 나중에 다시 시도하거나 다른 방법으로 로그인하세요.</translation>
    </message>
    <message>
        <source>The app&apos;s configuration has a problem.</source>
        <translation>앱 설정에 문제가 있습니다.</translation>
    </message>
    <message>
        <source>Something unexpected happened while signing in. Try again.</source>
        <translation>로그인하는 동안 예기치 않은 문제가 발생했습니다. 다시 시도하세요.</translation>
    </message>
    <message>
        <source>What you entered was not accepted. Check it and try again.</source>
        <translation>입력한 내용을 받아들일 수 없습니다. 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a little and try again.</source>
        <translation>시도 횟수가 너무 많습니다. 잠시 기다린 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>What was asked for no longer exists. Start again.</source>
        <translation>요청한 항목이 더 이상 존재하지 않습니다. 처음부터 다시 시작하세요.</translation>
    </message>
    <message>
        <source>You are not signed in. Sign in to see this.</source>
        <translation>로그인되어 있지 않습니다. 이 내용을 보려면 로그인하세요.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again.</source>
        <translation>문제가 발생했습니다. 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The sign-in took too long and was stopped. Start again.</source>
        <translation>로그인이 너무 오래 걸려 중지되었습니다. 처음부터 다시 시작하세요.</translation>
    </message>
    <message>
        <source>You cancelled sign-in at the provider. Sign in again if that was a mistake.</source>
        <translation>로그인 제공업체 페이지에서 로그인을 취소했습니다. 실수로 취소했다면 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider refused the sign-in (%1). Try again, or check the provider&apos;s settings for this app.</source>
        <translation>로그인 제공업체가 로그인을 거부했습니다(%1). 다시 시도하거나 제공업체에서 이 앱의 설정을 확인하세요.</translation>
    </message>
    <message>
        <source>Your sign-in with the provider is no longer valid (it expired or was revoked). Sign in with the provider again.</source>
        <translation>제공업체 로그인이 더 이상 유효하지 않습니다(만료되었거나 취소되었습니다). 제공업체로 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider refused to issue tokens (%1). Sign in again; if it keeps happening, check the provider&apos;s client settings.</source>
        <translation>로그인 제공업체가 토큰 발급을 거부했습니다(%1). 다시 로그인하세요. 문제가 계속되면 제공업체의 클라이언트 설정을 확인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider&apos;s answer failed a security check (%1), so it was not trusted. Try again; if it keeps happening, check the provider&apos;s settings.</source>
        <translation>로그인 제공업체의 응답이 보안 검사를 통과하지 못해(%1) 신뢰할 수 없습니다. 다시 시도하세요. 문제가 계속되면 제공업체 설정을 확인하세요.</translation>
    </message>
    <message>
        <source>The sign-in provider did not prove who you are (no ID token). Check that the &quot;openid&quot; scope is configured.</source>
        <translation>로그인 제공업체가 사용자 신원을 증명하지 않았습니다(ID 토큰 없음). &quot;openid&quot; 범위가 구성되어 있는지 확인하세요.</translation>
    </message>
    <message>
        <source>Access to the provider has expired and cannot be renewed. Sign in with the provider again.</source>
        <translation>제공업체 액세스 권한이 만료되었으며 갱신할 수 없습니다. 제공업체로 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>Another program is using the sign-in database. Close it and try again.</source>
        <translation>다른 프로그램이 로그인 데이터베이스를 사용하고 있습니다. 그 프로그램을 닫고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The sign-in database is damaged or belongs to another program, so it was left untouched. Move it away or set DATABASE_URL to another file.</source>
        <translation>로그인 데이터베이스가 손상되었거나 다른 프로그램의 파일이어서 변경하지 않았습니다. 파일을 다른 곳으로 옮기거나 DATABASE_URL을 다른 파일로 설정하세요.</translation>
    </message>
    <message>
        <source>The sign-in database was written by a newer version of this app. Update the app, or set DATABASE_URL to another file.</source>
        <translation>로그인 데이터베이스가 이 앱의 더 새로운 버전에서 작성되었습니다. 앱을 업데이트하거나 DATABASE_URL을 다른 파일로 설정하세요.</translation>
    </message>
    <message>
        <source>The sign-in database could not be read or written. Check the disk and the file&apos;s permissions, then try again.</source>
        <translation>로그인 데이터베이스를 읽거나 쓸 수 없습니다. 디스크와 파일 권한을 확인한 다음 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Your keyring is locked, so your sign-in is kept only until the app quits. Unlock the keyring and sign in again to stay signed in.</source>
        <translation>키링이 잠겨 있어 앱을 종료할 때까지만 로그인 상태가 유지됩니다. 로그인 상태를 계속 유지하려면 키링의 잠금을 해제하고 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>Access to the system keychain was refused, so your sign-in is kept only until the app quits. Allow access when your keyring asks, then sign in again.</source>
        <translation>시스템 키체인 액세스가 거부되어 앱을 종료할 때까지만 로그인 상태가 유지됩니다. 키링에서 요청하면 액세스를 허용한 다음 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>No system keychain is running, so your sign-in is kept only until the app quits. Install and start a keyring (GNOME Keyring, KWallet) to stay signed in.</source>
        <translation>실행 중인 시스템 키체인이 없어 앱을 종료할 때까지만 로그인 상태가 유지됩니다. 로그인 상태를 계속 유지하려면 키링(GNOME Keyring, KWallet)을 설치하고 시작하세요.</translation>
    </message>
    <message>
        <source>The system keychain could not be used, so your sign-in is kept only until the app quits. Unlock your keyring and try again.</source>
        <translation>시스템 키체인을 사용할 수 없어 앱을 종료할 때까지만 로그인 상태가 유지됩니다. 키링의 잠금을 해제하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The mail server %1 could not be reached, so no email was sent. Check EMAIL_SERVER and your network connection.</source>
        <translation>메일 서버 %1에 연결할 수 없어 이메일을 보내지 못했습니다. EMAIL_SERVER와 네트워크 연결을 확인하세요.</translation>
    </message>
    <message>
        <source>No secure connection to the mail server %1 could be made, so no email was sent. Check that the server offers TLS and that its certificate is trusted (EMAIL_CA_FILE).</source>
        <translation>메일 서버 %1에 보안 연결을 할 수 없어 이메일을 보내지 못했습니다. 서버가 TLS를 지원하는지, 서버 인증서를 신뢰할 수 있는지(EMAIL_CA_FILE) 확인하세요.</translation>
    </message>
    <message>
        <source>The mail server %1 refused the login, so no email was sent. Check EMAIL_USERNAME and EMAIL_PASSWORD.</source>
        <translation>메일 서버 %1에서 로그인을 거부하여 이메일을 보내지 못했습니다. EMAIL_USERNAME과 EMAIL_PASSWORD를 확인하세요.</translation>
    </message>
    <message>
        <source>The mail server refused this address. Check the email address.</source>
        <translation>메일 서버에서 이 주소를 거부했습니다. 이메일 주소를 확인하세요.</translation>
    </message>
    <message>
        <source>The app&apos;s configuration has a problem: %1</source>
        <translation>앱 설정에 문제가 있습니다: %1</translation>
    </message>
    <message>
        <source>There is no sign-in provider &quot;%1&quot;. Configured: %2.</source>
        <translation>&quot;%1&quot; 로그인 제공업체가 없습니다. 구성된 제공업체: %2.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>The sign-in provider answered in a way that breaks the sign-in rules. Try again; if it keeps happening, contact the provider&apos;s administrator.</source>
        <translation>로그인 제공업체가 로그인 규칙에 어긋나는 응답을 보냈습니다. 다시 시도하세요. 문제가 계속되면 제공업체 관리자에게 문의하세요.</translation>
    </message>
    <message>
        <source>The app could not open a local port to receive the sign-in from your browser. Close other apps that are signing in and try again.</source>
        <translation>앱이 브라우저에서 로그인을 받을 로컬 포트를 열 수 없습니다. 로그인 중인 다른 앱을 닫고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The app is still starting. Try again in a moment.</source>
        <translation>앱을 시작하는 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Your web browser could not be opened. Use &quot;Copy sign-in link&quot; and paste the link into a browser.</source>
        <translation>웹 브라우저를 열 수 없습니다. &quot;로그인 링크 복사&quot;를 눌러 링크를 브라우저에 붙여넣으세요.</translation>
    </message>
    <message>
        <source>That is not a usable email address. Check it and try again.</source>
        <translation>사용할 수 있는 이메일 주소가 아닙니다. 확인하고 다시 시도하세요.</translation>
    </message>
    <message numerus="yes">
        <source>That code is not right. Check the newest email and try again (%n tries left).</source>
        <translation>
            <numerusform>코드가 맞지 않습니다. 가장 최근 이메일을 확인하고 다시 시도하세요(남은 시도 횟수: %n회).</numerusform>
        </translation>
    </message>
    <message>
        <source>That code is not right. Check the newest email and try again.</source>
        <translation>코드가 맞지 않습니다. 가장 최근 이메일을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>This sign-in link or code has expired or was already used. Request a new email.</source>
        <translation>이 로그인 링크나 코드는 만료되었거나 이미 사용되었습니다. 새 이메일을 요청하세요.</translation>
    </message>
    <message>
        <source>Too many wrong codes. This email&apos;s link and code no longer work; request a new email.</source>
        <translation>잘못된 코드를 너무 많이 입력했습니다. 이 이메일의 링크와 코드는 더 이상 사용할 수 없으니 새 이메일을 요청하세요.</translation>
    </message>
    <message>
        <source>This sign-in link was sent to a different email address. Open the link from the newest email.</source>
        <translation>이 로그인 링크는 다른 이메일 주소로 보낸 것입니다. 가장 최근 이메일에 있는 링크를 여세요.</translation>
    </message>
    <message>
        <source>This email address already belongs to an account that signs in another way. Sign in that way first, then link this provider from your Profile.</source>
        <translation>이 이메일 주소는 이미 다른 방법으로 로그인하는 계정에서 사용 중입니다. 먼저 그 방법으로 로그인한 다음 프로필에서 이 제공업체를 연결하세요.</translation>
    </message>
    <message>
        <source>This provider account is already linked to another user, so it cannot be linked here.</source>
        <translation>이 제공업체 계정은 이미 다른 사용자에게 연결되어 있어 여기에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>The sign-in provider did not say who you are. Try another way to sign in.</source>
        <translation>로그인 제공업체가 사용자 신원을 알려 주지 않았습니다. 다른 방법으로 로그인하세요.</translation>
    </message>
    <message>
        <source>An email was sent to this address a moment ago. You can ask for another in %1.</source>
        <translation>방금 이 주소로 이메일을 보냈습니다. %1 후에 다시 요청할 수 있습니다.</translation>
    </message>
    <message>
        <source>Several emails were sent to this address in the last hour. You can ask for another in %1.</source>
        <translation>지난 1시간 동안 이 주소로 이메일을 여러 번 보냈습니다. %1 후에 다시 요청할 수 있습니다.</translation>
    </message>
    <message>
        <source>No email sign-in is waiting. Ask for a new email.</source>
        <translation>대기 중인 이메일 로그인이 없습니다. 새 이메일을 요청하세요.</translation>
    </message>
    <message>
        <source>You have not linked %1 to this account. Link it from your Profile.</source>
        <translation>이 계정에 %1이(가) 연결되어 있지 않습니다. 프로필에서 연결하세요.</translation>
    </message>
    <message>
        <source>Your session has expired. Sign in again.</source>
        <translation>세션이 만료되었습니다. 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>The system keychain did not answer. It may be waiting for a password: unlock your keyring and try again. Meanwhile your sign-in is kept only until the app quits.</source>
        <translation>시스템 키체인이 응답하지 않았습니다. 비밀번호 입력을 기다리고 있을 수 있습니다. 키링의 잠금을 해제하고 다시 시도하세요. 그동안 로그인 상태는 앱을 종료할 때까지만 유지됩니다.</translation>
    </message>
    <message>
        <source>You stayed signed in as before; the other sign-in was not used.</source>
        <translation>이전 계정으로 계속 로그인되어 있습니다. 다른 로그인은 사용되지 않았습니다.</translation>
    </message>
    <message>
        <source>While renewing your sign-in, the provider named a different person than the one who signed in. You were signed out to be safe. Sign in again.</source>
        <translation>로그인을 갱신하는 중에 제공업체가 로그인한 사람과 다른 사람을 알려 왔습니다. 안전을 위해 로그아웃되었습니다. 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>Your keyring is locked, so Latchkey cannot see whether you are signed in. Unlock it to continue.</source>
        <translation>키링이 잠겨 있어 Latchkey가 로그인 여부를 확인할 수 없습니다. 계속하려면 키링의 잠금을 해제하세요.</translation>
    </message>
    <message>
        <source>That link is not for the sign-in in progress, so it was not used. Open the link in the newest email, or type its code.</source>
        <translation>이 링크는 진행 중인 로그인의 링크가 아니어서 사용되지 않았습니다. 가장 최근 이메일의 링크를 열거나 그 코드를 입력하세요.</translation>
    </message>
    <message>
        <source>Too many wrong codes were typed for this address. You can ask for a new email in %1.</source>
        <translation>이 주소로 잘못된 코드가 너무 많이 입력되었습니다. %1 후에 새 이메일을 요청할 수 있습니다.</translation>
    </message>
    <message>
        <source>Too many wrong codes were typed for this address. Wait a while and ask for a new email.</source>
        <translation>이 주소로 잘못된 코드가 너무 많이 입력되었습니다. 잠시 기다린 후 새 이메일을 요청하세요.</translation>
    </message>
    <message>
        <source>This app has sent many sign-in emails in the last hour. You can ask for another in %1.</source>
        <translation>이 앱이 지난 한 시간 동안 로그인 이메일을 많이 보냈습니다. %1 후에 다시 요청할 수 있습니다.</translation>
    </message>
    <message>
        <source>That account is no longer signed in on this computer. Sign in with it again.</source>
        <translation>그 계정은 더 이상 이 컴퓨터에 로그인되어 있지 않습니다. 그 계정으로 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>%1 is not signed in on this computer. Sign in with it first.</source>
        <translation>%1 계정은 이 컴퓨터에 로그인되어 있지 않습니다. 먼저 그 계정으로 로그인하세요.</translation>
    </message>
    <message>
        <source>To do this, first confirm it is you: sign in again the way you signed in. It stays confirmed for 10 minutes.</source>
        <translation>이 작업을 하려면 먼저 본인인지 확인하세요: 처음 로그인한 방법으로 다시 로그인하세요. 확인은 10분 동안 유지됩니다.</translation>
    </message>
    <message>
        <source>You confirmed with a different %1 account than the one signed in here. At %1, choose the account you signed in with and try again.</source>
        <translation>여기에 로그인된 계정과 다른 %1 계정으로 확인했습니다. %1에서 로그인했던 계정을 선택하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>This is the only way to sign in to this account, so it cannot be unlinked. Link another way first.</source>
        <translation>이 계정에 로그인하는 유일한 방법이라 연결을 해제할 수 없습니다. 먼저 다른 방법을 연결하세요.</translation>
    </message>
    <message>
        <source>Only addresses at %1 can sign in to this app. Use your address there.</source>
        <translation>이 앱에는 %1 주소로만 로그인할 수 있습니다. 그 주소를 사용하세요.</translation>
    </message>
    <message>
        <source>Only accounts of %1 can sign in to this app. Choose your %1 account at the provider.</source>
        <translation>이 앱에는 %1 계정으로만 로그인할 수 있습니다. 제공업체에서 %1 계정을 선택하세요.</translation>
    </message>
    <message>
        <source>This account cannot sign in to this app. Ask the app&apos;s administrator.</source>
        <translation>이 계정으로는 이 앱에 로그인할 수 없습니다. 앱 관리자에게 문의하세요.</translation>
    </message>
    <message>
        <source>The code expired before it was approved. Start again to get a new code.</source>
        <translation>승인되기 전에 코드가 만료되었습니다. 새 코드를 받으려면 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The sign-in was declined on the other device. Start again if that was a mistake.</source>
        <translation>다른 기기에서 로그인이 거부되었습니다. 실수였다면 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The sign-in at the provider expired or was already used. Sign in again.</source>
        <translation>제공업체에서의 로그인이 만료되었거나 이미 사용되었습니다. 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>%1 refused the sign-in because your primary email address is not verified there. Verify it in your %1 email settings, then sign in again.</source>
        <translation>%1에서 기본 이메일 주소가 인증되지 않아 로그인을 거부했습니다. %1 이메일 설정에서 주소를 인증한 뒤 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>%1 does not offer sign-in on another device. Sign in with the browser on this computer instead.</source>
        <translation>%1은(는) 다른 기기에서의 로그인을 지원하지 않습니다. 대신 이 컴퓨터의 브라우저로 로그인하세요.</translation>
    </message>
    <message>
        <source>%1 cannot confirm that it is you. Confirm with another sign-in method.</source>
        <translation>%1(으)로는 본인 확인을 할 수 없습니다. 다른 로그인 방법으로 확인하세요.</translation>
    </message>
    <message>
        <source>%1 no longer accepts this sign-in&apos;s code. Start again to get a new code.</source>
        <translation>%1에서 이 로그인 코드를 더 이상 받지 않습니다. 다시 시작해 새 코드를 받으세요.</translation>
    </message>
    <message>
        <source>%1 has sign-in on another device turned off for this app. Enable Device Flow in the OAuth app&apos;s settings at %1, or sign in with the browser on this computer.</source>
        <translation>%1에서 이 앱의 다른 기기 로그인이 꺼져 있습니다. %1의 OAuth 앱 설정에서 Enable Device Flow를 켜거나, 이 컴퓨터의 브라우저로 로그인하세요.</translation>
    </message>
    <message>
        <source>%1 did not say which account signed in: its user information has no account ID. Set %2 to the name of the field that holds the account ID, then sign in again.</source>
        <translation>%1에서 어떤 계정으로 로그인했는지 알려 주지 않았습니다. 사용자 정보에 계정 ID가 없습니다. 계정 ID가 들어 있는 필드 이름을 %2에 설정한 다음 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>A part of Latchkey is missing or damaged (%1), so this cannot be done. Reinstall Latchkey.</source>
        <translation>Latchkey의 일부(%1)가 없거나 손상되어 이 작업을 할 수 없습니다. Latchkey를 다시 설치하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::LoopbackListener</name>
    <message>
        <source>The sign-in listener is already open on port %1. Close it before opening it again.</source>
        <translation>로그인 수신기가 이미 포트 %1에서 열려 있습니다. 다시 열기 전에 먼저 닫으세요.</translation>
    </message>
    <message>
        <source>Latchkey could not open a local port (127.0.0.1:%1) to receive the sign-in from your browser: %2. Close programs that may be using it, or try again.</source>
        <translation>Latchkey가 브라우저에서 로그인을 받을 로컬 포트(127.0.0.1:%1)를 열 수 없습니다: %2. 이 포트를 사용 중일 수 있는 프로그램을 닫거나 다시 시도하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::SignInPage</name>
    <message>
        <source>Sign in to %1</source>
        <translation>%1에 로그인</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>%1 계정으로 로그인</translation>
    </message>
    <message>
        <source>Sign in on another device</source>
        <translation>다른 기기에서 로그인</translation>
    </message>
    <message>
        <source>With %1</source>
        <translation>%1 사용</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>최근 사용</translation>
    </message>
    <message>
        <source>%1 (used last on this device)</source>
        <translation>%1 (이 기기에서 최근에 사용함)</translation>
    </message>
    <message>
        <source>Shows a code to enter on your phone or another computer</source>
        <translation>휴대폰이나 다른 컴퓨터에 입력할 코드를 표시합니다</translation>
    </message>
    <message>
        <source>Opens %1 in your browser to sign in</source>
        <translation>로그인하도록 브라우저에서 %1을(를) 엽니다</translation>
    </message>
</context>
<context>
    <name>latchkey::SignInWidget</name>
    <message>
        <source>email</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>%1 already belongs to an account that signs in with %2. Sign in with %2, then link %3 from your Profile.</source>
        <translation>%1은(는) 이미 %2(으)로 로그인하는 계정에 속해 있습니다. %2(으)로 로그인한 다음 프로필에서 %3을(를) 연결하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::StaticPage</name>
    <message>
        <source>Signed in</source>
        <translation>로그인 완료</translation>
    </message>
    <message>
        <source>You can close this tab and return to Latchkey.</source>
        <translation>이 탭을 닫고 Latchkey로 돌아가도 됩니다.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>로그인 실패</translation>
    </message>
    <message>
        <source>Return to Latchkey for details.</source>
        <translation>자세한 내용은 Latchkey로 돌아가서 확인하세요.</translation>
    </message>
    <message>
        <source>No sign-in is in progress</source>
        <translation>진행 중인 로그인 없음</translation>
    </message>
    <message>
        <source>Latchkey is not waiting for a sign-in. Start again from the Latchkey window.</source>
        <translation>Latchkey가 로그인을 기다리고 있지 않습니다. Latchkey 창에서 다시 시작하세요.</translation>
    </message>
    <message>
        <source>Page not found</source>
        <translation>페이지를 찾을 수 없음</translation>
    </message>
    <message>
        <source>This address is not part of a Latchkey sign-in.</source>
        <translation>이 주소는 Latchkey 로그인에 사용되는 주소가 아닙니다.</translation>
    </message>
    <message>
        <source>Bad request</source>
        <translation>잘못된 요청</translation>
    </message>
    <message>
        <source>Latchkey could not read this request. Return to Latchkey and try again.</source>
        <translation>Latchkey가 이 요청을 읽을 수 없습니다. Latchkey로 돌아가서 다시 시도하세요.</translation>
    </message>
    <message>
        <source>en</source>
        <comment>HTML lang attribute of the browser pages</comment>
        <translation>ko</translation>
    </message>
    <message>
        <source>Sign-in did not complete</source>
        <translation>로그인이 완료되지 않음</translation>
    </message>
    <message>
        <source>Return to Latchkey to see what happened and try again.</source>
        <translation>Latchkey로 돌아가서 무슨 일이 있었는지 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Link not used</source>
        <translation>사용되지 않은 링크</translation>
    </message>
    <message>
        <source>This link is not for the sign-in Latchkey is waiting for. Open the link in the newest sign-in email, or type its code in Latchkey.</source>
        <translation>이 링크는 Latchkey가 기다리는 로그인의 링크가 아닙니다. 가장 최근 로그인 이메일의 링크를 열거나 Latchkey에 그 코드를 입력하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::WaitingPage</name>
    <message>
        <source>Link copied. Paste it into your browser&apos;s address bar.</source>
        <translation>링크를 복사했습니다. 브라우저 주소창에 붙여넣으세요.</translation>
    </message>
    <message>
        <source>Continue signing in with %1 in your browser, then come back here.</source>
        <translation>브라우저에서 %1 계정으로 로그인을 계속한 다음 여기로 돌아오세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::AccountSwitcher</name>
    <message>
        <source>Signed in as %1. Switch account or add one.</source>
        <translation>%1 계정으로 로그인되어 있습니다. 계정을 전환하거나 추가하세요.</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>계정</translation>
    </message>
    <message>
        <source>Accounts signed in on this computer</source>
        <translation>이 컴퓨터에 로그인된 계정</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Add another account…</source>
        <translation>다른 계정 추가…</translation>
    </message>
    <message>
        <source>Sign out of all accounts</source>
        <translation>모든 계정에서 로그아웃</translation>
    </message>
    <message>
        <source>Lists the accounts signed in on this computer: switch to one, add another or sign out of all.</source>
        <translation>이 컴퓨터에 로그인한 계정 목록입니다. 계정을 전환하거나, 다른 계정을 추가하거나, 모든 계정에서 로그아웃할 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::Banner</name>
    <message>
        <source>Information</source>
        <translation>정보</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::DashboardPage</name>
    <message numerus="yes">
        <source>Signed in as %1; %n active session(s).</source>
        <translation>
            <numerusform>%1 계정으로 로그인되어 있으며 활성 세션이 %n개 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>This is protected content. You can access it because you are signed in.</source>
        <translation>보호된 콘텐츠입니다. 로그인했기 때문에 볼 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::HomePage</name>
    <message>
        <source>Signed in as %1</source>
        <translation>%1 계정으로 로그인됨</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::MainWindow</name>
    <message>
        <source>your Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <source>your Profile</source>
        <translation>프로필</translation>
    </message>
    <message>
        <source>Your session has expired. Sign in again.</source>
        <translation>세션이 만료되었습니다. 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>Sign in to open %1.</source>
        <translation>%1 화면을 열려면 로그인하세요.</translation>
    </message>
    <message>
        <source>Switch account?</source>
        <translation>계정을 전환할까요?</translation>
    </message>
    <message>
        <source>Stay signed in as %1</source>
        <translation>%1(으)로 로그인 유지</translation>
    </message>
    <message>
        <source>Still signed in on this computer: %1. Choose an account at the top to use it.</source>
        <translation>이 컴퓨터에 아직 로그인된 계정: %1. 위쪽에서 계정을 골라 사용하세요.</translation>
    </message>
    <message>
        <source>Sign in with another account. %1 stays signed in on this computer.</source>
        <translation>다른 계정으로 로그인하세요. %1 계정은 이 컴퓨터에 로그인된 상태로 남습니다.</translation>
    </message>
    <message>
        <source>Switch to %1?</source>
        <translation>%1 계정으로 전환할까요?</translation>
    </message>
    <message>
        <source>%1 stays signed in on this computer; you can switch back from the account menu.</source>
        <translation>%1 계정은 이 컴퓨터에 로그인된 상태로 남으며, 계정 메뉴에서 다시 전환할 수 있습니다.</translation>
    </message>
    <message>
        <source>Switch to %1</source>
        <translation>%1 계정으로 전환</translation>
    </message>
    <message>
        <source>Sign out everywhere?</source>
        <translation>모든 곳에서 로그아웃할까요?</translation>
    </message>
    <message>
        <source>Every session of this account ends, and its sign-ins with providers are revoked, so apps on your other devices that share them must sign in again.</source>
        <translation>이 계정의 모든 세션이 종료되고 제공업체 로그인이 취소되므로, 같은 로그인을 쓰는 다른 기기의 앱은 다시 로그인해야 합니다.</translation>
    </message>
    <message>
        <source>Sign out everywhere</source>
        <translation>모든 곳에서 로그아웃</translation>
    </message>
    <message>
        <source>sign out everywhere</source>
        <translation>모든 곳에서 로그아웃하려면</translation>
    </message>
    <message>
        <source>To %1, first confirm it is you: sign in again as %2.</source>
        <translation>%1 먼저 본인인지 확인하세요: %2 계정으로 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>unlink a sign-in method</source>
        <translation>로그인 방법의 연결을 해제하려면</translation>
    </message>
    <message>
        <source>Delete your local data?</source>
        <translation>로컬 데이터를 삭제할까요?</translation>
    </message>
    <message>
        <source>This computer forgets this account: its sign-in methods, sessions, activity and saved sign-ins in the keychain. Provider sign-ins are revoked. You can sign in again later as a new account.</source>
        <translation>이 컴퓨터에서 이 계정의 로그인 방법, 세션, 활동 기록과 키체인에 저장된 로그인 정보를 지웁니다. 제공업체 로그인은 취소됩니다. 나중에 새 계정으로 다시 로그인할 수 있습니다.</translation>
    </message>
    <message>
        <source>Delete my data</source>
        <translation>내 데이터 삭제</translation>
    </message>
    <message>
        <source>delete your local data</source>
        <translation>로컬 데이터를 삭제하려면</translation>
    </message>
    <message>
        <source>%1 could not be reached to end your sign-in there. You are signed out on this computer; Latchkey tells %1 as soon as it can reach it.</source>
        <translation>%1에 연결할 수 없어 그곳의 로그인을 끝내지 못했습니다. 이 컴퓨터에서는 로그아웃되었으며, Latchkey가 %1에 연결되는 즉시 알립니다.</translation>
    </message>
    <message>
        <source>You were signed out from another window, the command line or another session. Sign in again to continue.</source>
        <translation>다른 창이나 명령줄, 또는 다른 세션에서 로그아웃되었습니다. 계속하려면 다시 로그인하세요.</translation>
    </message>
    <message>
        <source>You are signed in, but Latchkey could not save your %1 sign-in, so it cannot act for you at %1. Sign in with %1 again to let it.</source>
        <translation>로그인되었지만 Latchkey가 %1 로그인 정보를 저장하지 못해 %1에서 대신 작업할 수 없습니다. 허용하려면 %1(으)로 다시 로그인하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::Navigation</name>
    <message>
        <source>Home</source>
        <translation>홈</translation>
    </message>
    <message>
        <source>Who is signed in, at a glance</source>
        <translation>로그인한 사람을 한눈에</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <source>Your protected data and recent activity</source>
        <translation>보호된 데이터와 최근 활동</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>프로필</translation>
    </message>
    <message>
        <source>Your name, sign-in methods, sessions on this computer and activity</source>
        <translation>이름, 로그인 방법, 이 컴퓨터의 세션과 활동</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>탐색</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::OutboxViewer</name>
    <message>
        <source>Developer mailbox</source>
        <translation>개발자 메일함</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>제목:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>받는 사람:</translation>
    </message>
    <message>
        <source>Sign-in code</source>
        <translation>로그인 코드</translation>
    </message>
    <message>
        <source>Type this code in the Latchkey window, or open the link on this computer.</source>
        <translation>이 코드를 Latchkey 창에 입력하거나, 이 컴퓨터에서 링크를 여세요.</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>코드 복사</translation>
    </message>
    <message>
        <source>Open sign-in link</source>
        <translation>로그인 링크 열기</translation>
    </message>
    <message>
        <source>No sign-in email yet — request one and it will appear here.</source>
        <translation>아직 로그인 이메일이 없습니다. 요청하면 여기에 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::ProfilePage</name>
    <message>
        <source>Link %1</source>
        <translation>%1 연결</translation>
    </message>
    <message>
        <source>Unknown device</source>
        <translation>알 수 없는 기기</translation>
    </message>
    <message>
        <source>This is your only session.</source>
        <translation>현재 세션이 유일한 세션입니다.</translation>
    </message>
    <message>
        <source>Unlink</source>
        <translation>연결 해제</translation>
    </message>
    <message>
        <source>Choose a sign-in method above to unlink it.</source>
        <translation>연결을 해제할 로그인 방법을 위에서 고르세요.</translation>
    </message>
    <message>
        <source>This is the only way to sign in to this account.</source>
        <translation>이 계정에 로그인하는 유일한 방법입니다.</translation>
    </message>
    <message>
        <source>Signed in with an email link</source>
        <translation>이메일 링크로 로그인함</translation>
    </message>
    <message>
        <source>Signed in with %1</source>
        <translation>%1(으)로 로그인함</translation>
    </message>
    <message>
        <source>Signed out your other sessions</source>
        <translation>다른 세션에서 모두 로그아웃함</translation>
    </message>
    <message>
        <source>Signed out one of your sessions</source>
        <translation>세션 하나에서 로그아웃함</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>로그아웃함</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>계정 만들어짐</translation>
    </message>
    <message>
        <source>Email sign-in added</source>
        <translation>이메일 로그인 추가됨</translation>
    </message>
    <message>
        <source>%1 linked</source>
        <translation>%1 연결됨</translation>
    </message>
    <message>
        <source>Email sign-in removed</source>
        <translation>이메일 로그인 제거됨</translation>
    </message>
    <message>
        <source>%1 unlinked</source>
        <translation>%1 연결 해제됨</translation>
    </message>
    <message>
        <source>Session expired</source>
        <translation>세션 만료됨</translation>
    </message>
    <message>
        <source>Sign-in with an email link failed</source>
        <translation>이메일 링크 로그인 실패</translation>
    </message>
    <message>
        <source>Sign-in with %1 failed</source>
        <translation>%1 로그인 실패</translation>
    </message>
    <message>
        <source>Sign-ins, sign-outs and changes to your sign-in methods will appear here.</source>
        <translation>로그인, 로그아웃, 로그인 방법 변경 내역이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>추가: %1</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>added %1</source>
        <translation>%1 추가됨</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>%1 업데이트됨</translation>
    </message>
    <message>
        <source>Updated: %1</source>
        <translation>업데이트: %1</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>현재 세션</translation>
    </message>
    <message>
        <source>Last active %1 · expires %2</source>
        <translation>마지막 활동 %1 · 만료 %2</translation>
    </message>
    <message>
        <source>Signed in: %1</source>
        <translation>로그인: %1</translation>
    </message>
    <message>
        <source>Last active: %1</source>
        <translation>마지막 활동: %1</translation>
    </message>
    <message>
        <source>Expires: %1</source>
        <translation>만료: %1</translation>
    </message>
    <message>
        <source>The ways you sign in to this account will appear here.</source>
        <translation>이 계정에 로그인하는 방법이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Your sessions on this device will appear here.</source>
        <translation>이 기기의 세션이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Unlink the selected sign-in method</source>
        <translation>선택한 로그인 방법 연결 해제</translation>
    </message>
    <message>
        <source>Choose another session above to sign it out.</source>
        <translation>로그아웃할 다른 세션을 위에서 선택하세요.</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::RelativeTime</name>
    <message>
        <source>just now</source>
        <translation>방금</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n분 전</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n시간 전</numerusform>
        </translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>어제</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n일 전</numerusform>
        </translation>
    </message>
    <message>
        <source>in less than a minute</source>
        <translation>1분 이내</translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>%n분 후</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation>
            <numerusform>%n시간 후</numerusform>
        </translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>내일</translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>%n일 후</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latchkey::gui::StatusBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>잠금 해제</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Latchkey keeps your sign-in in the system keyring. When you sign in for the first time, your system may ask you to create or unlock a keyring; that request comes from your system, and its password stays with it.</source>
        <translation>Latchkey는 로그인 정보를 시스템 키링에 보관합니다. 처음 로그인할 때 시스템이 키링을 만들거나 잠금 해제하라고 요청할 수 있습니다. 이 요청은 시스템에서 오는 것이며, 그 비밀번호는 시스템에만 남습니다.</translation>
    </message>
    <message>
        <source>Developer mailbox: sign-in emails are saved in %1 instead of being sent. Set EMAIL_SERVER to send real email.</source>
        <translation>개발자 메일함: 로그인 이메일이 전송되지 않고 %1에 저장됩니다. 실제 이메일을 보내려면 EMAIL_SERVER를 설정하세요.</translation>
    </message>
    <message>
        <source>Open latest message</source>
        <translation>최근 메시지 열기</translation>
    </message>
</context>
<context>
    <name>latchkey::gui::WindowHeader</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>뒤로</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>앞으로</translation>
    </message>
    <message>
        <source>Close window</source>
        <translation>창 닫기</translation>
    </message>
    <message>
        <source>Quit Latchkey</source>
        <translation>Latchkey 종료</translation>
    </message>
</context>
</TS>
