import { r, type Catalogue } from './line.ts';

/**
 * English copy. Slots: {brand} {topic} {offer} {code} {deadline} {when} {where} {audience}.
 * A sentence never starts with a slot other than {brand}, so nothing needs re-capitalising.
 * The formal register avoids contractions; the informal one uses them.
 */
export const EN: Catalogue = {
  'subject.announcement': ['Introducing {topic}', 'New from {brand}: {topic}', 'Say hello to {topic}'],
  'subject.newsletter': ['This month at {brand}: {topic}', 'Your {brand} update: {topic}', 'The latest from {brand}'],
  'subject.promo': ['Just for you: {offer}', '{brand} offer: {offer}', 'Until {deadline}: {offer}'],
  'subject.welcome': ['Welcome to {brand}', r('We are glad you are here', "We're glad you're here"), 'Welcome aboard: your first steps'],
  'subject.product-update': ['What is new: {topic}', 'New in {brand}: {topic}', 'Just shipped: {topic}'],
  'subject.event': [r('You are invited: {topic}', "You're invited: {topic}"), 'Join us for {topic}', 'Save the date: {topic}'],
  'subject.re-engagement': [r('We have missed you at {brand}', "We've missed you at {brand}"), 'A lot has changed at {brand}', 'What is new at {brand} since your last visit'],
  'subject.any': [
    'News from {brand}',
    '{brand}: {topic}',
    'A quick note about {topic}',
    'Something new from {brand}',
    'For you: {topic}',
    'Have you seen {topic}?',
    'A closer look at {topic}',
    'Made for you: {topic}',
  ],

  'preheader.announcement': [
    'What {topic} means for you, and how to get started today.',
    r('The {brand} team has been working on something we think you will love.', "The {brand} team has been working on something we think you'll love."),
  ],
  'preheader.newsletter': ['Stories, tips and news from {brand}, all in one short read.', 'Catch up on {topic} and more in this edition of our newsletter.'],
  'preheader.promo': [
    '{brand} has something for you: {offer}. Take a look before it ends.',
    'Treat yourself to {offer} while the offer lasts.',
    'Valid until {deadline}: {offer}. Here is how it works.',
  ],
  'preheader.welcome': ['Thanks for joining {brand}. Here is how to make the most of it.', 'Your first steps with {brand}, plus a few tips from our team.'],
  'preheader.product-update': ['A quick tour of {topic} and what it changes for you.', 'Small changes, big difference: see what is new at {brand}.'],
  'preheader.event': ['All the details about {topic}, and how to save your seat.', 'Mark your calendar for {when}. Here are the details and how to join.'],
  'preheader.re-engagement': [
    r('It has been a while. Here is what is new at {brand} since your last visit.', "It's been a while. Here's what's new at {brand} since your last visit."),
    r('We have been busy improving {brand}. Come and see what has changed.', "We've been busy improving {brand}. Come and see what's changed."),
  ],
  'preheader.any': [
    'A short read from the {brand} team, with everything you need to know.',
    'All the details are inside. Reply to this email if you have any questions.',
    'Everything about {topic} in one short email from {brand}.',
  ],

  'heading.announcement': ['Introducing {topic}', 'Meet {topic}'],
  'heading.newsletter': ['News from {brand}: {topic}', 'What is new at {brand}'],
  'heading.promo': ['Just for you: {offer}', 'Enjoy {offer}'],
  'heading.promo.urgent': ['Only until {deadline}: {offer}', r('Do not miss it: {offer}', "Don't miss it: {offer}")],
  'heading.welcome': ['Welcome to {brand}', r('We are glad you are here', "We're glad you're here")],
  'heading.product-update': ['What is new: {topic}', 'Just shipped: {topic}'],
  'heading.event': [r('You are invited: {topic}', "You're invited: {topic}"), 'Join us for {topic}'],
  'heading.re-engagement': [r('We have missed you', "We've missed you"), 'A lot has changed at {brand}'],

  greeting: [r('Hello {{ contact.first_name | default: "there" }},', 'Hi {{ contact.first_name | default: "there" }},')],
  'greeting.playful': ['Hey {{ contact.first_name | default: "there" }},'],

  'intro.announcement': [
    r(
      'We are excited to share {topic} with you. We built it with one goal in mind: making your day a little easier. We cannot wait to hear what you think.',
      "We're excited to share {topic} with you. We built it with one goal in mind: making your day a little easier, and we can't wait to hear what you think.",
    ),
    r(
      'Today we are introducing {topic}. Here is a quick look at what it is, why we made it and how you can try it right away.',
      "Today we're introducing {topic}. Here's a quick look at what it is, why we made it and how you can try it right away.",
    ),
  ],
  'intro.newsletter': [
    r(
      'Here is your latest update from {brand}. This time we are looking at {topic}, along with a few other things we think you will enjoy.',
      "Here's your latest update from {brand}. This time we're looking at {topic}, along with a few other things we think you'll enjoy.",
    ),
    r(
      'Welcome to this edition of our newsletter. We have gathered the news, ideas and stories worth your time, starting with {topic}.',
      "Welcome to this edition of our newsletter. Grab a coffee: we've gathered the news, ideas and stories worth your time, starting with {topic}.",
    ),
  ],
  'intro.promo': [
    r(
      'We have something special for you: {offer}. It is the perfect moment to discover {topic}, and our way of saying thank you for being part of {brand}.',
      "We've got something special for you: {offer}. It's the perfect moment to discover {topic}, and our way of saying thank you for being part of {brand}.",
    ),
    'Good news: you can now enjoy {offer}. Take your time to explore {topic} while the offer lasts.',
  ],
  'intro.promo.urgent': [
    r(
      'A quick reminder: {offer} is only available until {deadline}. If you have had your eye on something, now is the time.',
      "A quick heads-up: {offer} is only available until {deadline}. If you've had your eye on something, now's the time.",
    ),
  ],
  'intro.welcome': [
    r(
      'Thank you for joining {brand}. We are glad you are here, and we would love to help you get off to a great start.',
      "Thanks for joining {brand}. We're so glad you're here, and we'd love to help you get off to a great start.",
    ),
    r(
      'Welcome aboard. You are now part of the {brand} community, and this email will help you find your way around.',
      "Welcome aboard! You're now part of the {brand} community, and this email will help you find your way around.",
    ),
  ],
  'intro.product-update': [
    r(
      'We have been busy making {brand} better for you. Here is what is new: {topic}, and what it means for your day-to-day.',
      "We've been busy making {brand} better for you. Here's what's new: {topic}, and what it means for your day-to-day.",
    ),
    r('New for you: {topic}. Here is a quick overview of what has changed and how to try it.', "New for you: {topic}. Here's a quick overview of what's changed and how to try it."),
  ],
  'intro.event': [
    r(
      'We would love for you to join us for {topic}. It is a chance to meet the {brand} team, learn something new and connect with people who share your interests.',
      "We'd love for you to join us for {topic}. It's a chance to meet the {brand} team, learn something new and connect with people who share your interests.",
    ),
    r(
      'You are invited to {topic}. Save the date, bring your questions and get ready for an inspiring time with the {brand} team.',
      "You're invited to {topic}. Save the date, bring your questions and get ready for an inspiring time with the {brand} team.",
    ),
  ],
  'intro.re-engagement': [
    r(
      'It has been a while since your last visit, and a lot has changed at {brand}. We would love to show you {topic}.',
      "It's been a while since your last visit, and a lot has changed at {brand}. We'd love to show you {topic}.",
    ),
    r(
      'You have not stopped by {brand} in a while. We have been busy, and we think you will like {topic}.',
      "You haven't stopped by {brand} in a while. We've been busy, and we think you'll like {topic}.",
    ),
  ],

  audience: ['We put this together especially for {audience}.', 'This one is especially for {audience}.'],

  'story.announcement': ['Every detail was shaped by what you told us you need. Take a few minutes to explore it and let us know what you think: we read every reply.'],
  'story.newsletter': [
    r(
      'Behind every edition is a small team that loves what we do. If there is a topic you would like us to cover next time, just reply to this email.',
      "Behind every edition is a small team that loves what we do. If there's a topic you'd like us to cover next time, just reply to this email.",
    ),
  ],
  'story.promo': [
    r(
      'Not sure where to start? Our most popular picks are a great place to begin, and our team is happy to help you choose.',
      "Not sure where to start? Our most popular picks are a great place to begin, and our team's happy to help you choose.",
    ),
  ],
  'story.welcome': [
    r(
      'Over the coming weeks we will send you a few short emails with tips, ideas and the occasional surprise. You can change what you receive at any time.',
      "Over the coming weeks we'll send you a few short emails with tips, ideas and the occasional surprise. You can change what you receive at any time.",
    ),
  ],
  'story.product-update': ['These changes are rolling out now. Sign in to see them and tell us what you think: your feedback shapes what we build next.'],
  'story.event': [
    r(
      'Whether you have known {brand} for years or are just getting to know us, you will feel right at home. It would be great to see you there.',
      "Whether you've known {brand} for years or are just getting to know us, you'll feel right at home. It'd be great to see you there.",
    ),
  ],
  'story.re-engagement': [
    r('We would love to welcome you back to {brand}. Here is a quick look at what is waiting for you.', "We'd love to welcome you back to {brand}. Here's a quick look at what's waiting for you."),
  ],

  'features.heading.announcement': [r('Why you will love it', "Why you'll love it")],
  'features.heading.newsletter': ['Worth your time'],
  'features.heading.promo': ['What is waiting for you'],
  'features.heading.welcome': ['What you can look forward to'],
  'features.heading.product-update': ['What is new'],
  'features.heading.event': ['What to expect'],
  'features.heading.re-engagement': ['New since your last visit'],
  'features.item.announcement': ['Designed around what matters most to you', 'Simple to get started with, from day one', 'Backed by the {brand} team whenever you need us'],
  'features.item.newsletter': ['The stories our readers enjoyed most', 'Practical tips you can use right away', 'News from the {brand} team'],
  'features.item.promo': ['A great moment to try something new', 'Easy to redeem in a few clicks', 'Friendly help from the {brand} team if you need it'],
  'features.item.welcome': ['Tips and ideas to help you get the most out of {brand}', 'First looks at what we are working on', 'Occasional offers, just for our community'],
  'features.item.product-update': ['A smoother, faster everyday experience', 'Small details, polished based on your feedback', 'Everything you already use, right where you expect it'],
  'features.item.event': ['Inspiring talks and hands-on moments', 'Time to meet the {brand} team and other guests', 'Plenty of time for your questions'],
  'features.item.re-engagement': ['Fresh ideas and improvements across {brand}', 'A simpler way to find what you need', 'The same friendly team, ready to help'],

  'offer.heading': ['How to use your offer'],
  'offer.code': ['Use the code **{code}** at checkout.'],
  'offer.deadline': ['The offer is valid until {deadline}.'],
  'offer.body': ['Follow the link below to see everything the offer includes.'],

  'details.heading': ['The details'],
  'details.what': ['**What:** {topic}'],
  'details.when': ['**When:** {when}'],
  'details.where': ['**Where:** {where}'],

  'steps.heading': [r('How to get started', "Here's how to get started")],
  'steps.item': [
    'Explore {brand} and find what suits you best.',
    'Update your preferences at any time with the link at the bottom of this email.',
    r('Reply to this email whenever you have a question: we are happy to help.', "Reply to this email whenever you have a question: we're happy to help."),
  ],

  'highlights.heading': ['In this edition'],
  'highlights.item': ['A closer look at {topic}', 'News and ideas from the {brand} team', 'A tip you can put to use this week'],

  'testimonial.quote': [
    r('I did not expect to love it this much. {brand} has become part of my routine.', "I didn't expect to love it this much. {brand} has become part of my routine."),
    'Simple, thoughtful and genuinely helpful. I recommend {brand} to everyone I know.',
    'The team behind {brand} really listens. You can feel it in every detail.',
  ],
  'testimonial.author': ['A member of the {brand} community'],

  'faq.heading': [r('Frequently asked questions', "Questions? We've got answers")],
  'faq.code': ['**How do I use my discount?**\nEnter the code **{code}** at checkout and the discount is applied to your order.'],
  'faq.deadline': ['**How long does the offer last?**\nThe offer is valid until {deadline}.'],
  'faq.audience': ['**Who is it for?**\nWe made it for {audience}, but everyone is welcome to take a look.'],
  'faq.start': ['**How do I get started?**\nFollow the button in this email. It only takes a moment.'],
  'faq.when': ['**When does it start?**\nMark your calendar: {when}.'],
  'faq.where': ['**Where does it take place?**\nLocation: {where}.'],
  'faq.questions': ['**What if I have more questions?**\nJust reply to this email. A real person from the {brand} team will get back to you.'],
  'faq.change': ['**Can I change which emails I receive?**\nYes. Use the preferences link at the bottom of this email at any time.'],

  'closing.announcement': ['Ready to see it for yourself? It only takes a moment.'],
  'closing.newsletter': [r('That is all for this edition. Thank you for reading, and see you next time.', "That's all for this edition. Thanks for reading, and see you next time!")],
  'closing.promo': [r('Do not wait too long: the offer will not be around forever.', "Don't wait too long: the offer won't be around forever.")],
  'closing.welcome': [r('We are glad you are here. Whenever you are ready, your first step is one click away.', "We're so glad you're here. Whenever you're ready, your first step is one click away.")],
  'closing.product-update': ['Try it today and let us know what you think. We read every reply.'],
  'closing.event': [r('We would love to see you there. Save your seat today so you do not miss out.', "We'd love to see you there. Save your seat today so you don't miss out.")],
  'closing.re-engagement': [r('Come back and take a look: we think you will like what you find.', "Come back and take a look: we think you'll like what you find.")],
  'closing.urgent': [r('Time is short, so make sure you do not miss it.', "Time's short, so make sure you don't miss it.")],
  'closing.playful': [r('Go on, take a peek. We promise it is worth it.', "Go on, take a peek. We promise it's worth it.")],
  'closing.calm': ['Take your time, and have a look whenever it suits you.'],

  signoff: [r('Kind regards,\nThe {brand} team', 'Cheers,\nThe {brand} team')],
  'signoff.playful': ['Talk soon,\nThe {brand} team'],
  'signoff.calm': ['Warm wishes,\nThe {brand} team'],

  footer: [r('You are receiving this email because you subscribed to updates from {brand}.', "You're receiving this email because you subscribed to updates from {brand}.")],

  'cta.shop': ['Visit the shop'],
  'cta.offer': ['See the offer'],
  'cta.book': ['Book your visit'],
  'cta.demo': ['Book a demo'],
  'cta.register': ['Save my seat'],
  'cta.read': ['Read the full story'],
  'cta.try': ['Try it out'],
  'cta.download': ['Get the app'],
  'cta.start': ['Get started'],
  'cta.explore': ['Take a look'],
  'cta.upgrade': ['See the plans'],
  'cta.update': ['See what is new'],
  'cta.join': ['Count me in'],
  'cta.billing': ['Update payment details'],
  'cta.feedback': ['Share your feedback'],

  'topic.announcement': ['something new'],
  'topic.newsletter': ['what we have been up to'],
  'topic.promo': ['our favourites'],
  'topic.welcome': ['{brand}'],
  'topic.product-update': ['the latest improvements'],
  'topic.event': ['our next event'],
  'topic.re-engagement': ['what is new at {brand}'],

  'where.online': ['Online'],
  header: ['**{brand}**'],

  // ---- series (S6.1): one move per email of an arc, and the sentences that link the emails ----
  'series.back': ['As promised in our last email: {current}.', 'Last time we promised you {current}. Today, we keep that promise.'],
  'series.next': ['Coming up in our next email: {next}.', r('In our next email, you will find {next}.', "In our next email, you'll find {next}.")],
  'series.last': [r('This is the last email in this series. Thank you for reading along, and remember that you can reply to any of our emails.', "That's the last email in this series. Thanks for reading along, and remember you can reply to any of our emails.")],
  'series.preheader': ['In this email: {current}.', 'Today from {brand}: {current}.'],

  'series.reply': ['Questions about any of this? Just reply to this email: a real person from the {brand} team reads every message.'],
  'series.more.payment': [r('If you have already updated your details, you can ignore this email. Nothing else needs to change on your side.', "If you've already updated your details, you can ignore this email. Nothing else needs to change on your side.")],
  'series.more.retry': [
    r(
      'It only takes a minute: follow the button below, check your card details and save them. If you have already done so, thank you, and please ignore this reminder.',
      "It only takes a minute: follow the button below, check your card details and save them. If you've already done so, thank you, and please ignore this reminder.",
    ),
  ],
  'series.more.final': [
    r(
      'We would be sorry to see you go. If something about your subscription is not working for you, tell us: we will do our best to help.',
      "We'd be sorry to see you go. If something about your subscription isn't working for you, tell us: we'll do our best to help.",
    ),
  ],

  'series.about.hello': ['a warm welcome to {brand}'],
  'series.about.story': ['the story behind {brand}'],
  'series.about.tips': ['a few tips to get more out of {brand}'],
  'series.about.setup': ['your first steps with {brand}'],
  'series.about.feature': ['a closer look at {topic}'],
  'series.about.proof': ['what other customers say about {brand}'],
  'series.about.checkin': [r('a quick check-in to hear how it is going', "a quick check-in to hear how it's going")],
  'series.about.offer': ['a little something just for you'],
  'series.about.reminder': ['a last reminder before it ends'],
  'series.about.teaser': ['a first glimpse of {topic}'],
  'series.about.reveal': ['everything about {topic}'],
  'series.about.missyou': ['a note from the {brand} team'],
  'series.about.news': [r('what is new at {brand}', "what's new at {brand}")],
  'series.about.goodbye': ['a question about the emails you get from us'],
  'series.about.thanks': ['a thank-you for your order'],
  'series.about.picks': ['a few picks to go with your order'],
  'series.about.invite': ['your personal invitation'],
  'series.about.agenda': ['the programme in detail'],
  'series.about.countdown': ['a reminder before the big day'],
  'series.about.followup': ['a look back at our time together'],
  'series.about.payment': ['an update about your payment'],
  'series.about.retry': ['a reminder about your payment'],
  'series.about.final': ['a last reminder about your payment'],

  'series.subject.hello': ['Welcome to {brand}', r('We are glad you are here', "We're glad you're here")],
  'series.subject.story': ['The story behind {brand}', 'How {brand} began'],
  'series.subject.tips': ['Tips from the {brand} team', 'Get more out of {brand}'],
  'series.subject.setup': ['Your first steps with {brand}', 'Getting started in a few minutes'],
  'series.subject.feature': ['A closer look at {topic}', 'What {brand} can do for you'],
  'series.subject.proof': ['What our customers say', 'Why people love {brand}'],
  'series.subject.checkin': [r('How is it going?', "How's it going?"), 'A quick question from {brand}'],
  'series.subject.offer': ['Just for you: {offer}', 'A little something for you'],
  'series.subject.reminder': ['Last chance: {offer}', r('Do not miss out on {topic}', "Don't miss out on {topic}")],
  'series.subject.teaser': ['Something new is coming', 'Coming soon from {brand}'],
  'series.subject.reveal': ['Introducing {topic}', r('It is here: {topic}', "It's here: {topic}")],
  'series.subject.missyou': [r('We have missed you', "We've missed you"), r('It has been a while', "It's been a while")],
  'series.subject.news': [r('What is new at {brand}', "What's new at {brand}"), 'A lot has changed at {brand}'],
  'series.subject.goodbye': ['Should we stay in touch?', r('Do you still want to hear from us?', 'Still want to hear from us?')],
  'series.subject.thanks': ['Thank you for your order', 'Thanks for choosing {brand}'],
  'series.subject.picks': ['Picked for you by {brand}', 'A few ideas to go with your order'],
  'series.subject.invite': [r('You are invited: {topic}', "You're invited: {topic}"), 'Join us for {topic}'],
  'series.subject.agenda': ['The programme: {topic}', 'What to expect at {topic}'],
  'series.subject.countdown': ['Coming up soon: {topic}', 'See you soon at {topic}'],
  'series.subject.followup': ['Thank you for joining {topic}', 'A look back at {topic}'],
  'series.subject.payment': [r('Your payment did not go through', "Your payment didn't go through"), 'Please check your payment details'],
  'series.subject.retry': ['A reminder about your payment', 'Your payment is still open'],
  'series.subject.final': ['Last reminder about your payment', 'Your payment is still waiting'],

  'series.intro.hello': [
    r(
      'Thank you for joining {brand}. Over the next few emails, we will help you make the most of it, one short email at a time.',
      "Thanks for joining {brand}! Over the next few emails, we'll help you make the most of it, one short email at a time.",
    ),
  ],
  'series.intro.story': [
    'Every brand starts with an idea. Ours was simple: make something we love, make it well, and share it with people who care about it as much as we do. That idea still guides everything we do at {brand}.',
  ],
  'series.intro.tips': ['Here are a few tips our team swears by. None of them takes more than a few minutes, and together they make a real difference.'],
  'series.intro.setup': [
    r(
      'Getting started with {brand} only takes a few minutes. Here is how to take your first steps, and where to find help if you need it.',
      "Getting started with {brand} only takes a few minutes. Here's how to take your first steps, and where to find help if you need it.",
    ),
  ],
  'series.intro.feature': [
    r(
      'Today we would like to show you {topic} up close: what it does, why we made it and how it can make your day a little easier.',
      "Today we'd like to show you {topic} up close: what it does, why we made it and how it can make your day a little easier.",
    ),
  ],
  'series.intro.proof': [r('You do not have to take our word for it. Here is what people who already use {brand} have to say.', "You don't have to take our word for it. Here's what people who already use {brand} have to say.")],
  'series.intro.checkin': [
    r(
      'You have been with {brand} for a little while now, and we would love to know how it is going. What do you like, and what could we do better?',
      "You've been with {brand} for a little while now, and we'd love to know how it's going. What do you like, and what could we do better?",
    ),
  ],
  'series.intro.offer': [
    r('As a thank-you for being part of {brand}, we have something special for you: {offer}.', "As a thank-you for being part of {brand}, we've got something special for you: {offer}."),
    r('We have picked out a few favourites we think you will love. Take a look and treat yourself to something new.', "We've picked out a few favourites we think you'll love. Take a look and treat yourself to something new."),
  ],
  'series.intro.reminder': [
    r('A quick reminder: {offer} is only around for a short while longer. If you have had your eye on something, now is the time.', "A quick heads-up: {offer} is only around for a short while longer. If you've had your eye on something, now's the time."),
    r('A quick reminder before it is gone: if you have been meaning to take a look, now is the time.', "A quick heads-up before it's gone: if you've been meaning to take a look, now's the time."),
  ],
  'series.intro.teaser': [
    r(
      'We have been working on something new at {brand}, and we cannot wait to show you. We will not give it all away just yet, but here is a first hint.',
      "We've been working on something new at {brand}, and we can't wait to show you. We won't give it all away just yet, but here's a first hint.",
    ),
  ],
  'series.intro.reveal': [r('It is finally here: {topic}. We made it with you in mind, and we hope you will love it.', "It's finally here: {topic}. We made it with you in mind, and we hope you'll love it.")],
  'series.intro.missyou': [
    r(
      'It has been a while since we last saw you at {brand}, and we have missed you. A lot has happened since your last visit, and we would love to show you around again.',
      "It's been a while since we last saw you at {brand}, and we've missed you. A lot has happened since your last visit, and we'd love to show you around again.",
    ),
  ],
  'series.intro.news': [r('We have been busy since your last visit. Here are the changes at {brand} we think you will like most.', "We've been busy since your last visit. Here are the changes at {brand} we think you'll like most.")],
  'series.intro.goodbye': [
    r(
      'We do not want to fill your inbox with emails you do not read. If you would still like to hear from {brand}, you do not need to do anything. If you would rather get fewer emails, or none, you can change that in a moment.',
      "We don't want to fill your inbox with emails you don't read. If you'd still like to hear from {brand}, you don't need to do anything. If you'd rather get fewer emails, or none, you can change that in a moment.",
    ),
  ],
  'series.intro.thanks': [
    r(
      'Thank you for your order. We are getting it ready for you, and we wanted to tell you what happens next and where to find help if you need it.',
      "Thanks for your order! We're getting it ready for you, and we wanted to tell you what happens next and where to find help if you need it.",
    ),
  ],
  'series.intro.picks': [
    r(
      'We have picked a few things that go well with what you chose last time. No pressure: just ideas we think you might enjoy.',
      "We've picked a few things that go well with what you chose last time. No pressure: just ideas we think you might enjoy.",
    ),
  ],
  'series.intro.invite': [
    r(
      'We would love for you to join us for {topic}. It is a chance to learn something new, meet the {brand} team and connect with people who share your interests.',
      "We'd love for you to join us for {topic}. It's a chance to learn something new, meet the {brand} team and connect with people who share your interests.",
    ),
  ],
  'series.intro.agenda': [
    r('Here is what we have planned, so you know what to expect and can make the most of your time with us.', "Here's what we've planned, so you know what to expect and can make the most of your time with us."),
  ],
  'series.intro.countdown': [r('It is almost time. Here are the details again, so you have everything at hand.', "It's almost time. Here are the details again, so you have everything at hand.")],
  'series.intro.followup': [
    r(
      'Thank you for joining us. We hope you enjoyed it as much as we did, and we would love to hear what you thought.',
      "Thanks for joining us! We hope you enjoyed it as much as we did, and we'd love to hear what you thought.",
    ),
  ],
  'series.intro.payment': [
    r(
      'We tried to process your latest payment to {brand}, but it did not go through. This happens sometimes, often because a card has expired. Updating your details only takes a minute.',
      "We tried to process your latest payment to {brand}, but it didn't go through. This happens sometimes, often because a card has expired. Updating your details only takes a minute.",
    ),
  ],
  'series.intro.retry': ['Your payment to {brand} is still open. To keep everything running without interruption, please update your payment details.'],
  'series.intro.final': ['This is our last reminder about your open payment to {brand}. Please update your payment details soon so that nothing is interrupted.'],
};
