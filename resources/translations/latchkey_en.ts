<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Cli</name>
    <message numerus="yes">
        <source>Ended %n other session(s).</source>
        <translation>
            <numerusform>Ended %n other session.</numerusform>
            <numerusform>Ended %n other sessions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only enter the code if you started this sign-in yourself. It expires in %n minute(s).</source>
        <translation>
            <numerusform>Only enter the code if you started this sign-in yourself. It expires in %n minute.</numerusform>
            <numerusform>Only enter the code if you started this sign-in yourself. It expires in %n minutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latchkey::CheckEmailPage</name>
    <message numerus="yes">
        <source>%n tries left.</source>
        <translation>
            <numerusform>%n try left.</numerusform>
            <numerusform>%n tries left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latchkey::Error</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>That code is not right. Check the newest email and try again (%n tries left).</source>
        <translation>
            <numerusform>That code is not right. Check the newest email and try again (%n try left).</numerusform>
            <numerusform>That code is not right. Check the newest email and try again (%n tries left).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latchkey::gui::DashboardPage</name>
    <message numerus="yes">
        <source>Signed in as %1; %n active session(s).</source>
        <translation>
            <numerusform>Signed in as %1; %n active session.</numerusform>
            <numerusform>Signed in as %1; %n active sessions.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latchkey::gui::RelativeTime</name>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>in %n minute</numerusform>
            <numerusform>in %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation>
            <numerusform>in %n hour</numerusform>
            <numerusform>in %n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n day</numerusform>
            <numerusform>in %n days</numerusform>
        </translation>
    </message>
</context>
</TS>
