<?php
echo "ok from " . gethostname() . "\n";
