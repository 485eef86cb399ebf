<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AfterBatchEditor</name>
    <message numerus="yes">
        <source>%n more action(s) of the template are kept as they are.</source>
        <translation>
            <numerusform>%n more action of the template is kept as it is.</numerusform>
            <numerusform>%n more actions of the template are kept as they are.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchCommands</name>
    <message numerus="yes">
        <source>%Ln photo(s) of {name} retried</source>
        <translation>
            <numerusform>%Ln photo of {name} retried</numerusform>
            <numerusform>%Ln photos of {name} retried</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n batch(es)</source>
        <translation>
            <numerusform>Removed %n batch</numerusform>
            <numerusform>Removed %n batches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchStatusBar</name>
    <message numerus="yes">
        <source>Developing %n photo(s)</source>
        <translation>
            <numerusform>Developing %n photo</numerusform>
            <numerusform>Developing %n photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message numerus="yes">
        <source>%n batch(es) developing. Junmai Batch can keep developing with the window closed (its icon stays in the tray), or quit: quitting pauses the batches, and the next time you start Junmai Batch you can resume them where they stopped.</source>
        <translation>
            <numerusform>%n batch is developing. Junmai Batch can keep developing with the window closed (its icon stays in the tray), or quit: quitting pauses the batch, and the next time you start Junmai Batch you can resume it where it stopped.</numerusform>
            <numerusform>%n batches are developing. Junmai Batch can keep developing with the window closed (its icon stays in the tray), or quit: quitting pauses the batches, and the next time you start Junmai Batch you can resume them where they stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) developing. Quitting pauses them; the next time you start Junmai Batch you can resume them where they stopped.</source>
        <translation>
            <numerusform>%n batch is developing. Quitting pauses it; the next time you start Junmai Batch you can resume it where it stopped.</numerusform>
            <numerusform>%n batches are developing. Quitting pauses them; the next time you start Junmai Batch you can resume them where they stopped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n batch(es) running. Quitting pauses them; the next time you start Junmai Batch you can resume exactly where they stopped.

Quit now?</source>
        <translation>
            <numerusform>%n batch is running. Quitting pauses it; the next time you start Junmai Batch you can resume exactly where it stopped.

Quit now?</numerusform>
            <numerusform>%n batches are running. Quitting pauses them; the next time you start Junmai Batch you can resume exactly where they stopped.

Quit now?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Plurals</name>
    <message numerus="yes">
        <source>%n computer(s)</source>
        <translation>
            <numerusform>%n computer</numerusform>
            <numerusform>%n computers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s)</source>
        <translation>
            <numerusform>%n worker</numerusform>
            <numerusform>%n workers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message numerus="yes">
        <source>%n batch(es) stopped before finishing.</source>
        <translation>
            <numerusform>%n batch stopped before finishing.</numerusform>
            <numerusform>%n batches stopped before finishing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) still to develop. Photos already developed are safe and will not be developed again.</source>
        <translation>
            <numerusform>%Ln photo is still to develop. Photos already developed are safe and will not be developed again.</numerusform>
            <numerusform>%Ln photos are still to develop. Photos already developed are safe and will not be developed again.</numerusform>
        </translation>
    </message>
</context>
</TS>
